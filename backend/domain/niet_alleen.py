""" "Niet alleen" matching escrow (docs/matching.md): entries, matches, consent.

The backend evaluates the OPRF for a melder (budgeted per melding), stores entries
and looks for a match whenever one arrives: another entry with the same index from a
different melder (another Shamir x). With two such shares it recovers ``a0``, opens
both records and learns only what they hold: entry id, melding id, eenheid and the
inner part sealed to the vertrouwenspersoon — which it cannot open. A share that does
not lie on the same line (someone copied an index without knowing the name) opens
nothing and matches nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.domain.audit import record as audit
from backend.keys.niet_alleen_sleutel import oprf_key
from backend.storage.clock import utcnow
from backend.storage.models import Melding, NietAlleenEvaluaties, NietAlleenVermelding
from envelope import oprf, shamir
from envelope.niet_alleen import RecordError, open_record

# OPRF evaluations per melding (each is one name tried) and entries per melding.
MAX_EVALUATIES = 5
MAX_VERMELDINGEN = 3
VERTROUWENSPERSOON = "vertrouwenspersoon"


class BudgetOp(Exception):
    """This melding has used its OPRF evaluations or entries."""


class OngeldigeVermelding(ValueError):
    """An entry that cannot be stored (bad share, reused id)."""


def evaluate(session: Session, melding: Melding, blinded: bytes) -> bytes:
    """The OPRF evaluation of a blinded element, counted against the melding's budget."""
    teller = session.get(NietAlleenEvaluaties, melding.id)
    if teller is None:
        teller = NietAlleenEvaluaties(melding_id=melding.id, aantal=0)
        session.add(teller)
    if teller.aantal >= MAX_EVALUATIES:
        raise BudgetOp
    evaluated = oprf.blind_evaluate(oprf_key(session), blinded)
    teller.aantal += 1
    audit(session, "melder", "niet_alleen_evaluatie", melding.id)
    return evaluated


def _field(text: str) -> int:
    value = int(text, 16)
    if not 0 < value < shamir.Q:
        raise OngeldigeVermelding("share outside the field")
    return value


def add_entry(
    session: Session,
    melding: Melding,
    vermelding_id: str,
    index: str,
    x: str,
    y: str,
    record: Mapping[str, str],
) -> NietAlleenVermelding:
    """Store one entry of this melding and look for a match."""
    _field(x), _field(y)
    if session.get(NietAlleenVermelding, vermelding_id) is not None:
        raise OngeldigeVermelding("entry id already used")
    eigen = session.scalars(
        select(NietAlleenVermelding).where(NietAlleenVermelding.melding_id == melding.id)
    ).all()
    if len(eigen) >= MAX_VERMELDINGEN:
        raise BudgetOp
    row = NietAlleenVermelding(
        id=vermelding_id,
        melding_id=melding.id,
        index=index,
        share_x=x.lower(),
        share_y=y.lower(),
        record=dict(record),
        aangemaakt_op=utcnow(),
    )
    session.add(row)
    session.flush()
    audit(session, "melder", "niet_alleen_vermelding", melding.id)
    find_match(session, row)
    return row


def _point(row: NietAlleenVermelding) -> tuple[int, int]:
    return int(row.share_x, 16), int(row.share_y, 16)


def _open(row: NietAlleenVermelding, a0: int) -> dict[str, Any] | None:
    try:
        opened = open_record(a0, row.index, row.id, row.record)
    except RecordError:
        return None
    # The record must name the melding that signed the entry.
    return opened if opened.get("melding_id") == row.melding_id else None


def find_match(session: Session, new: NietAlleenVermelding) -> list[NietAlleenVermelding]:
    """Match ``new`` with entries of other melders with the same index; returns the
    entries of the match (empty when there is none)."""
    others = session.scalars(
        select(NietAlleenVermelding).where(
            NietAlleenVermelding.index == new.index,
            NietAlleenVermelding.id != new.id,
            NietAlleenVermelding.melding_id != new.melding_id,
        )
    ).all()
    matched: list[tuple[NietAlleenVermelding, dict[str, Any]]] = []
    opened_new: dict[str, Any] | None = None
    for other in others:
        try:
            a0 = shamir.recover(_point(new), _point(other))
        except shamir.ShareError:  # the same melder (same x): never counts
            continue
        mine, theirs = _open(new, a0), _open(other, a0)
        if mine is None or theirs is None:
            continue
        opened_new = mine
        matched.append((other, theirs))
    if opened_new is None:
        return []
    now = utcnow()
    groep = next((o.match_groep for o, _ in matched if o.match_groep), None) or str(uuid.uuid4())
    rows = [(new, opened_new), *matched]
    for row, opened in rows:
        if row.match_groep is None:
            row.match_groep = groep
            row.gematcht_op = now
            row.eenheid = str(opened.get("eenheid") or "")
            row.inner = opened.get("inner")
            audit(session, "systeem", "niet_alleen_overeenkomst", row.melding_id)
    return [row for row, _ in rows]


# --- what the melder sees --------------------------------------------------------------


@dataclass(frozen=True)
class MelderVermelding:
    vermelding_id: str
    aangemaakt_op: datetime
    overeenkomst: bool
    instemming: bool | None


def of_melding(session: Session, melding: Melding) -> list[MelderVermelding]:
    rows = session.scalars(
        select(NietAlleenVermelding)
        .where(NietAlleenVermelding.melding_id == melding.id)
        .order_by(NietAlleenVermelding.aangemaakt_op)
    ).all()
    return [
        MelderVermelding(r.id, r.aangemaakt_op, r.match_groep is not None, r.instemming)
        for r in rows
    ]


def set_instemming(
    session: Session, melding: Melding, vermelding_id: str, instemming: bool
) -> NietAlleenVermelding | None:
    """The melder's choice about being connected; only for a matched entry of this melding."""
    row = session.get(NietAlleenVermelding, vermelding_id)
    if row is None or row.melding_id != melding.id or row.match_groep is None:
        return None
    row.instemming = instemming
    row.instemming_op = utcnow()
    audit(session, "melder", "niet_alleen_instemming", melding.id, instemming=instemming)
    return row


# --- what the vertrouwenspersoon sees --------------------------------------------------


@dataclass(frozen=True)
class GroepDeel:
    vermelding_id: str | None  # None for entries at another eenheid's vertrouwenspersoon
    melding_id: str | None
    eenheid: str
    instemming: bool | None
    inner: dict[str, Any] | None  # sealed to this vertrouwenspersoon


@dataclass(frozen=True)
class Overeenkomst:
    groep: str
    gematcht_op: datetime
    delen: Sequence[GroepDeel]
    melders: int  # different meldingen (one melder may have named the person twice)


def for_vertrouwenspersoon(session: Session, loket: str, eenheid: str) -> list[Overeenkomst]:
    """Matches with at least one entry for this vertrouwenspersoon; other lokets: none."""
    if loket != VERTROUWENSPERSOON:
        return []
    groepen = session.scalars(
        select(NietAlleenVermelding.match_groep)
        .where(
            NietAlleenVermelding.match_groep.is_not(None),
            NietAlleenVermelding.eenheid == eenheid,
        )
        .distinct()
    ).all()
    result = []
    for groep in groepen:
        rows = session.scalars(
            select(NietAlleenVermelding)
            .where(NietAlleenVermelding.match_groep == groep)
            .order_by(NietAlleenVermelding.gematcht_op, NietAlleenVermelding.aangemaakt_op)
        ).all()
        delen = [
            GroepDeel(r.id, r.melding_id, eenheid, r.instemming, r.inner)
            if r.eenheid == eenheid
            else GroepDeel(None, None, r.eenheid or "", r.instemming, None)
            for r in rows
        ]
        first = min(r.gematcht_op for r in rows if r.gematcht_op is not None)
        melders = len({r.melding_id for r in rows})
        result.append(Overeenkomst(str(groep), first, delen, melders))
    return sorted(result, key=lambda o: o.gematcht_op, reverse=True)


def delete_niet_alleen(session: Session, melding_id: str) -> None:
    """Retention: a deleted melding takes its entries and budget with it."""
    session.execute(
        delete(NietAlleenVermelding).where(NietAlleenVermelding.melding_id == melding_id)
    )
    session.execute(
        delete(NietAlleenEvaluaties).where(NietAlleenEvaluaties.melding_id == melding_id)
    )
