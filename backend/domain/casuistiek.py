"""The casuïstiekoverzicht: counts per categorie, eenheid, loket, month, status and
clock kind, on-time handling per clock kind, and the median handling time, per
closed quarter, with small cells suppressed.

Only envelope data is used (never content). Two things keep single meldingen out
of sight (docs/security.md, "Statistics"):

* **Complementary suppression over the whole set of tables.** The national table
  and the table of every eenheid are computed together, and a cell is hidden when
  it is 1-4 *or* when it would let a reader work out a hidden cell from totals,
  other cells, or another eenheid's table (``backend/domain/disclosure.py``).
* **Closed periods, published once.** Statistics exist only for a quarter that is
  over. The first request after the quarter computes every table of that quarter
  and stores it; every later request returns exactly the stored tables, so polling
  shows no change from which a new, closed or deleted melding could be read.
  Statuses are those at the moment of publication.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.api.schemas.loket import Cel, StatistiekOut
from backend.domain.disclosure import Equation, suppress
from backend.domain.termijnen import uitkomst_van
from backend.keys.loket_keys import LANDELIJK
from backend.routing.codes import EENHEDEN
from backend.storage.clock import as_utc
from backend.storage.models import Melding, StatistiekPublicatie

DREMPEL = 5
DIMENSIES = (
    "categorie",
    "loket",
    "maand",
    "status",
    "termijn_soort",
    "nakoming_bevestiging",
    "nakoming_terugkoppeling",
)
# Every melding has exactly one value per dimension, so each dimension adds up to the
# total and the suppression sees that equation. A melding without that deadline (or
# closed without meeting it) counts as GEEN_TERMIJN: kept in the equations, never shown.
NAKOMING = {"nakoming_bevestiging": "bevestiging", "nakoming_terugkoppeling": "terugkoppeling"}
GEEN_TERMIJN = "-"
PERIODE = re.compile(r"^(2\d{3})-K([1-4])$")
TOTAAL = "totaal"


class PeriodeOngeldig(ValueError):
    """Not a quarter like 2026-K3, or a quarter that is not over yet."""


# --- quarters --------------------------------------------------------------------------


def periode_van(moment: datetime) -> str:
    moment = as_utc(moment)
    return f"{moment.year}-K{(moment.month - 1) // 3 + 1}"


def grenzen(periode: str) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a quarter, in UTC."""
    match = PERIODE.match(periode)
    if not match:
        raise PeriodeOngeldig(periode)
    year, quarter = int(match.group(1)), int(match.group(2))
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=UTC)
    end = (
        datetime(year + 1, 1, 1, tzinfo=UTC)
        if quarter == 4
        else datetime(year, 3 * quarter + 1, 1, tzinfo=UTC)
    )
    return start, end


def vorige(periode: str) -> str:
    start, _ = grenzen(periode)
    year, quarter = start.year, (start.month - 1) // 3 + 1
    return f"{year - 1}-K4" if quarter == 1 else f"{year}-K{quarter - 1}"


def laatst_afgesloten(now: datetime) -> str:
    return vorige(periode_van(now))


def afgesloten(periode: str, now: datetime) -> bool:
    return grenzen(periode)[1] <= as_utc(now)


def recente_perioden(now: datetime, aantal: int = 8) -> list[str]:
    result = [laatst_afgesloten(now)]
    while len(result) < aantal:
        result.append(vorige(result[-1]))
    return result


# --- the tables of one quarter ---------------------------------------------------------


def _waarde(m: Melding, dimensie: str, now: datetime) -> str:
    if dimensie == "maand":
        return as_utc(m.ontvangen_op).strftime("%Y-%m")
    if dimensie in NAKOMING:
        uitkomst = uitkomst_van(m, NAKOMING[dimensie], now)  # type: ignore[arg-type]
        return GEEN_TERMIJN if uitkomst is None else f"{m.termijn_soort} {uitkomst}"
    return str(getattr(m, dimensie))


def counts(
    rows: list[Melding], now: datetime
) -> tuple[dict[tuple[str, str, str], int], list[Equation]]:
    """Every published count of the set (national and per eenheid) and how they add up.

    Keys are (scope, dimensie, waarde); (scope, "totaal", "") is a table's total. The
    national 'per eenheid' cells are the eenheid totals, and 'afgerond' is the status
    cell, so each published number has one key and one suppression decision."""
    eenheden = sorted(set(EENHEDEN) | {m.eenheid for m in rows})
    values: dict[tuple[str, str, str], int] = {}
    equations: list[Equation] = []
    for scope in (LANDELIJK, *eenheden):
        mine = rows if scope == LANDELIJK else [m for m in rows if m.eenheid == scope]
        values[(scope, TOTAAL, "")] = len(mine)
        for dimensie in DIMENSIES:
            per = Counter(_waarde(m, dimensie, now) for m in mine)
            for waarde, n in per.items():
                values[(scope, dimensie, waarde)] = n
            parts = tuple((scope, dimensie, w) for w in sorted(per))
            equations.append(Equation((scope, TOTAAL, ""), parts))
    for dimensie in DIMENSIES:
        for key in [k for k in values if k[0] == LANDELIJK and k[1] == dimensie]:
            cells = [(e, dimensie, key[2]) for e in eenheden]
            parts = tuple(c for c in cells if c in values)
            equations.append(Equation(key, parts))
    totals = tuple((e, TOTAAL, "") for e in eenheden if values[(e, TOTAAL, "")] > 0)
    equations.append(Equation((LANDELIJK, TOTAAL, ""), totals))
    return values, equations


def nakoming_label(waarde: str, deadline: str) -> str:
    """'wet op_tijd' of the confirmation deadline -> 'wet bevestiging op_tijd'."""
    soort, uitkomst = waarde.split(" ", 1)
    return f"{soort} {deadline} {uitkomst}"


def _mediaan(rows: list[Melding]) -> float | None:
    dagen = [
        (as_utc(m.afgerond_op) - as_utc(m.ontvangen_op)).total_seconds() / 86400
        for m in rows
        if m.afgerond_op is not None
    ]
    # Whole days: a median to the tenth of a day is one melding's own handling time.
    return float(round(statistics.median(dagen))) if len(dagen) >= DREMPEL else None


def tabellen(rows: Iterable[Melding], periode: str, now: datetime) -> dict[str, dict]:
    """Every scope's StatistiekOut (as JSON) for the meldingen received in ``periode``."""
    rows = list(rows)
    values, equations = counts(rows, now)
    hidden = suppress(values, equations, DREMPEL)
    start, end = grenzen(periode)

    def cel(key: tuple[str, str, str], waarde: str) -> Cel:
        if key in hidden:
            return Cel(waarde=waarde, aantal=None, onderdrukt=True)
        return Cel(waarde=waarde, aantal=values.get(key, 0), onderdrukt=False)

    def cellen(scope: str, dimensie: str) -> list[Cel]:
        keys = sorted(k for k in values if k[0] == scope and k[1] == dimensie)
        return [cel(k, k[2]) for k in keys]

    result: dict[str, dict] = {}
    for scope in sorted({k[0] for k in values}):
        mine = rows if scope == LANDELIJK else [m for m in rows if m.eenheid == scope]
        eenheden = (
            sorted({m.eenheid for m in rows}) if scope == LANDELIJK else ([scope] if mine else [])
        )
        stat = StatistiekOut(
            periode=periode,
            van=start.date(),
            tot=end.date(),
            gepubliceerd_op=now,
            onderdrukt_onder=DREMPEL,
            totaal=cel((scope, TOTAAL, ""), TOTAAL),
            per_categorie=cellen(scope, "categorie"),
            per_eenheid=[cel((e, TOTAAL, ""), e) for e in eenheden],
            per_loket=cellen(scope, "loket"),
            per_maand=cellen(scope, "maand"),
            per_status=cellen(scope, "status"),
            per_termijn_soort=cellen(scope, "termijn_soort"),
            termijn_nakoming=[
                c.model_copy(update={"waarde": nakoming_label(c.waarde, NAKOMING[dimensie])})
                for dimensie in NAKOMING
                for c in cellen(scope, dimensie)
                if c.waarde != GEEN_TERMIJN
            ],
            afgerond=cel((scope, "status", "afgerond"), "afgerond"),
            # Not next to a hidden 'afgerond' (it would tell that cell is at least 5).
            mediane_behandelduur_dagen=(
                None if (scope, "status", "afgerond") in hidden else _mediaan(mine)
            ),
        )
        result[scope] = stat.model_dump(mode="json")
    return result


def publicatie(session: Session, periode: str, now: datetime) -> StatistiekPublicatie:
    """The stored tables of a closed quarter; computed and stored on first use."""
    if not afgesloten(periode, now):
        raise PeriodeOngeldig(periode)
    found = session.get(StatistiekPublicatie, periode)
    if found is not None:
        return found
    start, end = grenzen(periode)
    rows = session.scalars(
        select(Melding).where(Melding.ontvangen_op >= start, Melding.ontvangen_op < end)
    )
    row = StatistiekPublicatie(
        periode=periode, gepubliceerd_op=now, tabellen=tabellen(rows, periode, now)
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another worker published it first: everybody gets that one.
        session.expunge(row)
        found = session.get(StatistiekPublicatie, periode)
        assert found is not None
        return found
    return row


def overzicht(session: Session, periode: str, scope: str, now: datetime) -> StatistiekOut:
    """The published table of one scope (``landelijk`` or an eenheid)."""
    tables = publicatie(session, periode, now).tabellen
    data = tables.get(scope)
    if data is None:  # an eenheid code unknown at publication: nothing received there
        data = {**tables[LANDELIJK], "per_categorie": [], "per_eenheid": [], "per_loket": []}
        data |= {"per_maand": [], "per_status": [], "mediane_behandelduur_dagen": None}
        data |= {"per_termijn_soort": [], "termijn_nakoming": []}
        data |= {"totaal": Cel(waarde=TOTAAL, aantal=0, onderdrukt=False).model_dump()}
        data |= {"afgerond": Cel(waarde="afgerond", aantal=0, onderdrukt=False).model_dump()}
    return StatistiekOut.model_validate(data)


def as_csv(stat: StatistiekOut) -> str:
    """One row per cell: dimensie, waarde, aantal ('verborgen' when suppressed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["dimensie", "waarde", "aantal"])
    writer.writerow(["periode", stat.periode, ""])

    def row(dimensie: str, c: Cel) -> None:
        writer.writerow([dimensie, c.waarde, "verborgen" if c.onderdrukt else c.aantal])

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
    writer.writerow(["mediane_behandelduur_dagen", "", "verborgen" if mediaan is None else mediaan])
    return out.getvalue()
