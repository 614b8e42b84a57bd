"""The legal clock of the Wet bescherming klokkenluiders / EU 2019/1937.

A loket confirms receipt within 7 days and gives feedback within 3 months.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from backend.storage.clock import as_utc
from backend.storage.models import EINDSTATUSSEN, Melding

BEVESTIGEN_BINNEN = timedelta(days=7)
TERUGKOPPELING_MAANDEN = 3


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def deadlines(ontvangen_op: datetime) -> tuple[datetime, datetime]:
    """(confirm-before, feedback-before) for a melding received at ``ontvangen_op``."""
    return (
        ontvangen_op + BEVESTIGEN_BINNEN,
        add_months(ontvangen_op, TERUGKOPPELING_MAANDEN),
    )


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


def open_deadlines(melding: Melding) -> list[tuple[Soort, datetime]]:
    """The legal deadlines this melding has not met yet (none once it is closed)."""
    if melding.status in EINDSTATUSSEN:
        return []
    result: list[tuple[Soort, datetime]] = []
    if melding.bevestigd_op is None:
        result.append(("bevestiging", as_utc(melding.bevestigen_voor)))
    if melding.teruggekoppeld_op is None:
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
            if uiterlijk < now:
                overdue.append(Termijn(m.id, m.loket, m.eenheid, soort, uiterlijk, True))
            elif uiterlijk <= now + within:
                soon.append(Termijn(m.id, m.loket, m.eenheid, soort, uiterlijk, False))
    return sorted(overdue, key=lambda t: t.uiterlijk), sorted(soon, key=lambda t: t.uiterlijk)
