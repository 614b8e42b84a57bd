"""The clock per route: which term applies to a melding, its deadlines, and what is due.

The kind comes from the loket's rule (``backend/data/termijnen.yaml``, loaded with the
routeboekje; ``backend/routing/termijnregels.py``) and is stored on the melding
(``termijn_soort``) when it arrives:

``wet``
    Wet bescherming klokkenluiders / Richtlijn (EU) 2019/1937 art. 9 lid 1 (b) and (f),
    for the klokkenluidersregeling (``meldpunt_misstanden``): confirm receipt within
    7 days; feedback at most 3 months after the confirmation, or 3 months after the
    7 days if none was sent. A late confirmation never moves feedback later than that.
``afspraak``
    The organisation's own promise: confirm and/or give feedback within N days of
    receipt. Shown as "afspraak", never as law.
``geen``
    No deadlines at all (both None).

Forwarding (``on_forwarded``): a melding with the legal term keeps it and its
deadlines, because the law protects the report wherever it is handled. Any other
melding gets the new loket's rule, counted from the moment it was forwarded; if that
rule has a deadline, the new loket confirms and gives feedback itself, so the earlier
confirmation and feedback moments are cleared.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from backend.routing.termijnregels import TermijnRegel
from backend.storage.clock import as_utc
from backend.storage.models import EINDSTATUSSEN, Melding

BEVESTIGEN_BINNEN = timedelta(days=7)
TERUGKOPPELING_MAANDEN = 3

# How a kind is named to people (portal, API, statistics).
TERMIJN_LABEL = {"wet": "wettelijke termijn", "afspraak": "afspraak", "geen": "geen termijn"}


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Klok:
    soort: str  # wet | afspraak | geen
    bevestigen_voor: datetime | None
    terugkoppeling_voor: datetime | None


def legal_deadlines(start: datetime) -> tuple[datetime, datetime]:
    """(confirm-before, feedback-before) of the legal term, before any confirmation:
    7 days, then 3 months after those 7 days."""
    bevestigen_voor = start + BEVESTIGEN_BINNEN
    return bevestigen_voor, add_months(bevestigen_voor, TERUGKOPPELING_MAANDEN)


def legal_feedback_after(bevestigen_voor: datetime, bevestigd_op: datetime | None) -> datetime:
    """At most 3 months after the confirmation; without one (or a late one), 3 months
    after the 7-day period ended."""
    vanaf = bevestigen_voor if bevestigd_op is None else min(bevestigd_op, bevestigen_voor)
    return add_months(vanaf, TERUGKOPPELING_MAANDEN)


def clock_for(regel: TermijnRegel, start: datetime) -> Klok:
    """The deadlines of ``regel`` for a melding that arrived at ``start``."""
    if regel.soort == "wet":
        return Klok("wet", *legal_deadlines(start))
    if regel.soort == "afspraak":
        b, t = regel.bevestigen_dagen, regel.terugkoppeling_dagen
        return Klok(
            "afspraak",
            None if b is None else start + timedelta(days=b),
            None if t is None else start + timedelta(days=t),
        )
    return Klok("geen", None, None)


def start_clock(melding: Melding, regel: TermijnRegel, start: datetime) -> None:
    klok = clock_for(regel, start)
    melding.termijn_soort = klok.soort
    melding.bevestigen_voor = klok.bevestigen_voor
    melding.terugkoppeling_voor = klok.terugkoppeling_voor


def on_acknowledged(melding: Melding) -> None:
    """The loket confirmed receipt: the legal feedback term now counts from then."""
    if (
        melding.termijn_soort == "wet"
        and melding.bevestigd_op is not None
        and melding.bevestigen_voor is not None
    ):
        melding.terugkoppeling_voor = legal_feedback_after(
            as_utc(melding.bevestigen_voor), as_utc(melding.bevestigd_op)
        )


def on_forwarded(melding: Melding, regel: TermijnRegel, now: datetime) -> None:
    """Apply the forwarding rules of the module docstring (``regel``: the new loket's)."""
    if melding.termijn_soort == "wet":
        return
    start_clock(melding, regel, now)
    if regel.soort != "geen":
        melding.bevestigd_op = None
        melding.teruggekoppeld_op = None


# --- open deadlines, overdue and due-soon lists ----------------------------------------

Soort = Literal["bevestiging", "terugkoppeling"]


@dataclass(frozen=True)
class Termijn:
    melding_id: str
    loket: str
    eenheid: str
    soort: Soort
    uiterlijk: datetime
    te_laat: bool
    termijn_soort: str  # wet | afspraak


def open_deadlines(melding: Melding) -> list[tuple[Soort, datetime]]:
    """The deadlines this melding has and has not met yet (none once it is closed)."""
    if melding.status in EINDSTATUSSEN or melding.termijn_soort == "geen":
        return []
    result: list[tuple[Soort, datetime]] = []
    if melding.bevestigd_op is None and melding.bevestigen_voor is not None:
        result.append(("bevestiging", as_utc(melding.bevestigen_voor)))
    if melding.teruggekoppeld_op is None and melding.terugkoppeling_voor is not None:
        result.append(("terugkoppeling", as_utc(melding.terugkoppeling_voor)))
    return result


def due(
    meldingen: Iterable[Melding], now: datetime, within: timedelta
) -> tuple[list[Termijn], list[Termijn]]:
    """(overdue, due within ``within``) deadlines, each sorted by deadline."""
    overdue: list[Termijn] = []
    soon: list[Termijn] = []
    for m in meldingen:
        for soort, uiterlijk in open_deadlines(m):
            late = uiterlijk < now
            if late or uiterlijk <= now + within:
                termijn = Termijn(m.id, m.loket, m.eenheid, soort, uiterlijk, late, m.termijn_soort)
                (overdue if late else soon).append(termijn)
    return sorted(overdue, key=lambda t: t.uiterlijk), sorted(soon, key=lambda t: t.uiterlijk)


# --- on-time handling, per kind (statistics) ------------------------------------------

Uitkomst = Literal["op_tijd", "te_laat", "loopt"]


def uitkomst_van(m: Melding, soort: Soort, now: datetime) -> Uitkomst | None:
    """Met on time, met late (or still open past the deadline), or still running; None
    when the melding has no such deadline, or was withdrawn or closed without meeting it."""
    uiterlijk, gedaan = (
        (m.bevestigen_voor, m.bevestigd_op)
        if soort == "bevestiging"
        else (m.terugkoppeling_voor, m.teruggekoppeld_op)
    )
    if uiterlijk is None:
        return None
    deadline = as_utc(uiterlijk)
    if gedaan is not None:
        return "op_tijd" if as_utc(gedaan) <= deadline else "te_laat"
    if m.status in EINDSTATUSSEN:
        return None
    return "te_laat" if deadline < now else "loopt"
