"""The casuïstiekoverzicht: counts per categorie, eenheid, loket, month, status and
clock kind, on-time handling per clock kind, and the median handling time, with
small cells (< 5) suppressed.

Only envelope data is used (never content). Suppression hides counts 1-4 so a
single melder cannot be singled out; a count of 0 is not shown at all.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from backend.api.schemas.loket import Cel, StatistiekOut
from backend.domain.termijnen import nakoming
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import Melding

DREMPEL = 5


def cel(waarde: str, aantal: int) -> Cel:
    if aantal < DREMPEL:
        return Cel(waarde=waarde, aantal=None, onderdrukt=True)
    return Cel(waarde=waarde, aantal=aantal, onderdrukt=False)


def _cellen(counter: Counter[str]) -> list[Cel]:
    return [cel(waarde, aantal) for waarde, aantal in sorted(counter.items())]


def overzicht(meldingen: Iterable[Melding], now: datetime | None = None) -> StatistiekOut:
    rows = list(meldingen)
    gehaald = nakoming(rows, now or utcnow())
    dagen = [
        (as_utc(m.afgerond_op) - as_utc(m.ontvangen_op)).total_seconds() / 86400
        for m in rows
        if m.afgerond_op is not None
    ]
    mediaan = round(statistics.median(dagen), 1) if len(dagen) >= DREMPEL else None
    return StatistiekOut(
        onderdrukt_onder=DREMPEL,
        totaal=cel("totaal", len(rows)),
        per_categorie=_cellen(Counter(m.categorie for m in rows)),
        per_eenheid=_cellen(Counter(m.eenheid for m in rows)),
        per_loket=_cellen(Counter(m.loket for m in rows)),
        per_maand=_cellen(Counter(as_utc(m.ontvangen_op).strftime("%Y-%m") for m in rows)),
        per_status=_cellen(Counter(m.status for m in rows)),
        per_termijn_soort=_cellen(Counter(m.termijn_soort for m in rows)),
        termijn_nakoming=_cellen(Counter({" ".join(k): n for k, n in gehaald.items()})),
        afgerond=cel("afgerond", len(dagen)),
        mediane_behandelduur_dagen=mediaan,
    )


def as_csv(stat: StatistiekOut) -> str:
    """One row per cell: dimensie, waarde, aantal ('<5' when suppressed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["dimensie", "waarde", "aantal"])

    def row(dimensie: str, c: Cel) -> None:
        writer.writerow([dimensie, c.waarde, f"<{DREMPEL}" if c.onderdrukt else c.aantal])

    row("totaal", stat.totaal)
    for dimensie, cellen in (
        ("categorie", stat.per_categorie),
        ("eenheid", stat.per_eenheid),
        ("loket", stat.per_loket),
        ("maand", stat.per_maand),
        ("status", stat.per_status),
        ("termijn_soort", stat.per_termijn_soort),
        ("termijn_nakoming", stat.termijn_nakoming),
    ):
        for c in cellen:
            row(dimensie, c)
    row("afgerond", stat.afgerond)
    mediaan = stat.mediane_behandelduur_dagen
    writer.writerow(
        ["mediane_behandelduur_dagen", "", f"<{DREMPEL}" if mediaan is None else mediaan]
    )
    return out.getvalue()
