"""Check-ins after a melding: "Merk je sinds je melding nadelige gevolgen?"

One, three and six months after the melding was received (``ontvangen_op``) the
melder's side asks this once (docs/checkin.md). A check-in is open from its moment
until the next one; the last stays open for ``LAATSTE_OPEN``. The backend needs only
the melding's date to know which one is open; it stores no contact data.

The answer is sealed on the melder's side (mw2) to the handling loket's active key
and the melder's key, with the header ``{…, "deel": "checkin", "moment": "3"}``.
Beside it the backend keeps one clear-text signal, ``nadelige_gevolgen`` (True only
for the answer "ja"), so the loket's clock list can show a retaliation signal
without unlocking a key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from backend.api.errors import ApiError
from backend.domain.berichten import handling_key, melder_recipient_of
from backend.domain.termijnen import add_months
from backend.keys.rewrap import open_with_any
from backend.routing.routeboekje import Routeboekje
from backend.storage.clock import as_utc
from backend.storage.models import Checkin, Melding
from envelope.sealing import FORMAT_VERSION, SealError, recipient_kids

MOMENTEN = (1, 3, 6)  # months after ontvangen_op
LAATSTE_OPEN = timedelta(days=60)
ANTWOORDEN = ("nee", "ja", "weet_niet")

NIET_OPEN = ApiError(
    409,
    "checkin_niet_open",
    "Deze vraag staat nu niet open. Kijk op de pagina wanneer de volgende vraag komt.",
    "This check-in is not open now.",
)
AL_BEANTWOORD = ApiError(
    409,
    "checkin_al_beantwoord",
    "Je hebt deze vraag al beantwoord. Dank je wel.",
    "This check-in was already answered.",
)
VERKEERD_VERSLEUTELD = ApiError(
    422,
    "verkeerd_versleuteld",
    "Je antwoord is niet goed versleuteld voor het loket. Probeer het opnieuw.",
    "The answer is not sealed to the loket's active key and the melder's key.",
)


@dataclass(frozen=True)
class Moment:
    maanden: int  # 1, 3 or 6
    vanaf: datetime
    tot: datetime  # exclusive: the next moment, or vanaf + LAATSTE_OPEN


def momenten(ontvangen_op: datetime) -> list[Moment]:
    """The three check-in moments of a melding received at ``ontvangen_op``."""
    start = as_utc(ontvangen_op)
    begins = [add_months(start, maanden) for maanden in MOMENTEN]
    ends = [*begins[1:], begins[-1] + LAATSTE_OPEN]
    return [Moment(m, b, e) for m, b, e in zip(MOMENTEN, begins, ends, strict=True)]


def open_moment(ontvangen_op: datetime, now: datetime) -> Moment | None:
    """The check-in open at ``now``, or None (before the first, after the last)."""
    now = as_utc(now)
    return next((m for m in momenten(ontvangen_op) if m.vanaf <= now < m.tot), None)


def volgend_moment(ontvangen_op: datetime, now: datetime) -> Moment | None:
    """The first check-in that opens after ``now``."""
    now = as_utc(now)
    return next((m for m in momenten(ontvangen_op) if m.vanaf > now), None)


def checkin_header(melding: Melding, moment: int) -> dict[str, Any]:
    """Associated data of a sealed check-in answer (the same on the melder's side)."""
    return melding.part_header("checkin", moment=str(moment))


# Bound parameters per IN (...) list: well within SQLite's and PostgreSQL's limits.
_IN_CHUNK = 500


def checkins_of(session: Session, melding: Melding) -> list[Checkin]:
    query = select(Checkin).where(Checkin.melding_id == melding.id).order_by(Checkin.moment)
    return list(session.scalars(query))


def signalen_of(melding: Melding) -> list[int]:
    """The moments at which the melder reported nadelige gevolgen (the clear signal)."""
    session = object_session(melding)
    if session is None:
        return []
    return signalen_per_melding(session, [melding.id]).get(melding.id, [])


def signalen_per_melding(session: Session, melding_ids: Sequence[str]) -> dict[str, list[int]]:
    """``signalen_of`` for many meldingen at once (the inbox): id -> moments. One query
    per 500 meldingen instead of one per melding."""
    result: dict[str, list[int]] = {}
    ids = list(melding_ids)
    for start in range(0, len(ids), _IN_CHUNK):
        query = (
            select(Checkin.melding_id, Checkin.moment)
            .where(
                Checkin.melding_id.in_(ids[start : start + _IN_CHUNK]),
                Checkin.nadelige_gevolgen.is_(True),
            )
            .order_by(Checkin.melding_id, Checkin.moment)
        )
        for melding_id, moment in session.execute(query):
            result.setdefault(melding_id, []).append(moment)
    return result


def loket_checkins(
    session: Session, melding: Melding, keys: Mapping[str, bytes]
) -> list[dict[str, Any]]:
    """The answers for the loket's detail view, opened with the session's keys."""
    result = []
    for c in checkins_of(session, melding):
        try:
            opened = open_checkin(melding, c, keys)
        except (SealError, ValueError):
            opened = {}
        antwoord = opened.get("antwoord")
        tekst = opened.get("tekst")
        result.append(
            {
                "moment": c.moment,
                "beantwoord_op": as_utc(c.beantwoord_op),
                "nadelige_gevolgen": c.nadelige_gevolgen,
                "antwoord": antwoord if antwoord in ANTWOORDEN else None,
                "tekst": str(tekst) if tekst else None,
            }
        )
    return result


def status_of(session: Session, melding: Melding, now: datetime) -> dict[str, Any]:
    """The check-in fields of the melder's status answer (schemas/checkin.py)."""
    alle = momenten(melding.ontvangen_op)
    volgend = volgend_moment(melding.ontvangen_op, now)
    velden: dict[str, Any] = {
        "checkin_momenten": [m.vanaf for m in alle],
        "checkin_volgende": volgend.vanaf if volgend else None,
        "checkin": None,
    }
    moment = open_moment(melding.ontvangen_op, now)
    if moment is not None and melding.status != "ingetrokken":
        beantwoord = any(c.moment == moment.maanden for c in checkins_of(session, melding))
        velden["checkin"] = {
            "moment": moment.maanden,
            "open_tot": moment.tot,
            "beantwoord": beantwoord,
        }
    return velden


def add_checkin(
    session: Session,
    boek: Routeboekje,
    melding: Melding,
    moment: int,
    nadelige_gevolgen: bool,
    sealed: dict[str, Any],
    now: datetime,
) -> Checkin:
    """Store a melder's sealed answer to the check-in open now (once per moment)."""
    open_nu = open_moment(melding.ontvangen_op, now)
    if open_nu is None or open_nu.maanden != moment:
        raise NIET_OPEN
    if any(c.moment == moment for c in checkins_of(session, melding)):
        raise AL_BEANTWOORD
    loket_key = handling_key(session, boek, melding)
    melder = melder_recipient_of(melding)
    kids = recipient_kids(sealed)
    if (
        sealed.get("v") != FORMAT_VERSION
        or loket_key.kid not in kids
        or melder is None
        or melder.kid not in kids
    ):
        raise VERKEERD_VERSLEUTELD
    row = Checkin(
        melding_id=melding.id,
        moment=moment,
        beantwoord_op=now,
        nadelige_gevolgen=nadelige_gevolgen,
        sealed=sealed,
    )
    session.add(row)
    session.flush()
    return row


def open_checkin(melding: Melding, checkin: Checkin, keys: Mapping[str, bytes]) -> dict[str, Any]:
    """The answer ({"antwoord", "tekst"?}) opened with one of the loket keys in ``keys``.

    Raises SealError when no key of ``keys`` opens it (e.g. after forwarding)."""
    plain = open_with_any(checkin.sealed, checkin_header(melding, checkin.moment), keys)
    data: dict[str, Any] = json.loads(plain)
    return data
