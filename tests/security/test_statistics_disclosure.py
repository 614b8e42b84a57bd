# ruff: noqa: F811  (the fixtures are imported from tests/backend/conftest.py)
"""Review finding 6: statistics cannot be undone by subtraction, across tables, or by
polling over time.

The real app and CLI on SQLite and PostgreSQL. The attacker below is independent of
the suppression code: it takes every table a coordinator or the console can get (the
national one and every eenheid's), writes down every sum they imply, and searches
exhaustively for a filling of the hidden cells in which a small cell is 5 or more. If
there is none, the reader has learned that the cell is small (or its exact value).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from backend.domain.casuistiek import grenzen, laatst_afgesloten, periode_van
from backend.domain.retention import run_retention
from backend.routing.codes import EENHEDEN
from backend.storage.clock import utcnow
from backend.storage.models import Melding
from tests.backend.conftest import (  # noqa: F401 - fixtures
    add_key,
    add_user,
    cheap_kdfs,
    cli,
    cli_env,
    client,
    database,
    database_url,
    login,
    notifier,
    pg_template,
    settings_for,
    sqlite_template,
    submit,
)

# termijn_nakoming is left out of the attacker: its cells do not add up to a published
# number (meldingen without that deadline are not shown), so it gives the attacker
# less than the suppression assumed (it treats the unshown rest as published).
DIMS = ("per_categorie", "per_loket", "per_maand", "per_status", "per_termijn_soort")
Cell = tuple[str, str, str]


# --- the attacker ----------------------------------------------------------------------


def system(tables: dict[str, dict[str, Any]]) -> tuple[dict[Cell, int | None], list[Any]]:
    """Every published number and every sum that links them."""
    values: dict[Cell, int | None] = {}
    eqs: list[tuple[Cell, list[Cell]]] = []
    for scope, t in tables.items():
        values[(scope, "totaal", "")] = t["totaal"]["aantal"]
        for dim in DIMS:
            cells = [(scope, dim, c["waarde"]) for c in t[dim]]
            for c, cell in zip(t[dim], cells, strict=True):
                values[cell] = c["aantal"]
            eqs.append(((scope, "totaal", ""), cells))
        for c in t["per_eenheid"]:  # the national "per eenheid" cell is that eenheid's total
            values[(scope, "per_eenheid", c["waarde"])] = c["aantal"]
            eqs.append(((scope, "per_eenheid", c["waarde"]), [(c["waarde"], "totaal", "")]))
        eqs.append(
            ((scope, "totaal", ""), [(scope, "per_eenheid", c["waarde"]) for c in t["per_eenheid"]])
        )  # noqa: E501
        values[(scope, "afgerond", "")] = t["afgerond"]["aantal"]
        if (scope, "per_status", "afgerond") in values:
            eqs.append(((scope, "afgerond", ""), [(scope, "per_status", "afgerond")]))
        elif t["afgerond"]["aantal"] not in (0, None):
            raise AssertionError("afgerond without a status cell")
    national = tables["landelijk"]
    for dim in DIMS:
        for c in national[dim]:
            parts = [(e, dim, c["waarde"]) for e in tables if e != "landelijk"]
            eqs.append((("landelijk", dim, c["waarde"]), [p for p in parts if p in values]))
    return values, eqs


def can_be_large(values: dict[Cell, int | None], eqs: list[Any], target: Cell) -> bool:
    """Is there an integer filling of all hidden cells (each >= 1) with target >= 5?

    A complete search: bound propagation over every sum, then splitting the smallest
    open range in two, until every range is one value (a solution) or one is empty."""
    top = max(v for v in values.values() if v is not None) if any(values.values()) else 1
    top = max(top, sum(1 for v in values.values() if v is None)) * 4
    start = {k: (1, top) for k, v in values.items() if v is None}
    start[target] = (5, top)

    def rng(dom: dict[Cell, tuple[int, int]], k: Cell) -> tuple[int, int]:
        v = values[k]
        return (v, v) if v is not None else dom[k]

    def propagate(dom: dict[Cell, tuple[int, int]]) -> bool:
        changed = True
        while changed:
            changed = False
            for whole, parts in eqs:
                w_lo, w_hi = rng(dom, whole)
                ranges = [rng(dom, p) for p in parts]
                s_lo, s_hi = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
                new = {whole: (max(w_lo, s_lo), min(w_hi, s_hi))}
                for p, (lo, hi) in zip(parts, ranges, strict=True):
                    new[p] = (max(lo, w_lo - (s_hi - hi)), min(hi, w_hi - (s_lo - lo)))
                for k, (lo, hi) in new.items():
                    if lo > hi:
                        return False
                    if values[k] is None and (lo, hi) != dom[k]:
                        dom[k] = (lo, hi)
                        changed = True
        return True

    def search(dom: dict[Cell, tuple[int, int]]) -> bool:
        if not propagate(dom):
            return False
        open_ = [k for k, (lo, hi) in dom.items() if lo < hi]
        if not open_:
            return True
        k = min(open_, key=lambda c: (dom[c][1] - dom[c][0], repr(c)))
        lo, hi = dom[k]
        mid = (lo + hi) // 2
        return search({**dom, k: (lo, mid)}) or search({**dom, k: (mid + 1, hi)})

    return search(dict(start))


def assert_no_small_cell_can_be_told(tables: dict[str, dict[str, Any]]) -> int:
    values, eqs = system(tables)
    # Every hidden cell is a candidate: the attacker does not know which ones are small.
    hidden = [k for k, v in values.items() if v is None]
    for cell in hidden:
        if cell[1] in ("per_eenheid", "afgerond"):
            continue  # the same number as a table total / status cell, checked there
        assert can_be_large(values, eqs, cell), f"{cell} is known to be small"
    return len(hidden)


# --- the world -------------------------------------------------------------------------


def backdate(client: TestClient, ids: list[str], when: Any) -> None:
    with database(client).session() as session:
        session.execute(update(Melding).where(Melding.id.in_(ids)).values(ontvangen_op=when))


def world(client: TestClient, spec: list[tuple[str, str, int]]) -> list[str]:
    """Meldingen received in the last closed quarter: (loket, eenheid, how many)."""
    ids = []
    for loket, eenheid, n in spec:
        add_key(client, loket, eenheid)
        ids += [submit(client, loket=loket, eenheid=eenheid).melding_id for _ in range(n)]
    start, _ = grenzen(laatst_afgesloten(utcnow()))
    backdate(client, ids, start + timedelta(days=20))
    return ids


def all_tables(client: TestClient, cli_env: Path) -> dict[str, dict[str, Any]]:
    """Every table on offer: the console gives the national one and every eenheid's."""
    tables = {"landelijk": json.loads(cli("stats", "export", "--formaat", "json"))}
    for e in EENHEDEN:
        tables[e] = json.loads(cli("stats", "export", "--eenheid", e, "--formaat", "json"))
    return tables


def test_the_reviewers_example_cannot_be_undone(client: TestClient, cli_env: Path) -> None:
    # Rotterdam: 8 meldingen, 6 vertrouwenspersoon, 2 VIK (all pesten, all ontvangen).
    world(client, [("vertrouwenspersoon", "rotterdam", 6), ("vik", "rotterdam", 2)])
    add_user(client, "co", "vertrouwenspersoon", "rotterdam", "coordinator")
    stat = client.get("/api/v1/loket/statistiek", headers=login(client, "co")).json()
    assert stat["periode"] == laatst_afgesloten(utcnow())
    loketten = {c["waarde"]: c for c in stat["per_loket"]}
    # Before: totaal 8, vertrouwenspersoon 6, vik hidden -> 8 - 6 = 2.
    assert loketten["vik"]["onderdrukt"] is True
    assert loketten["vertrouwenspersoon"]["onderdrukt"] is True  # complementary
    assert stat["totaal"]["aantal"] == 8
    assert_no_small_cell_can_be_told(all_tables(client, cli_env))


def test_no_cell_follows_from_another_eenheids_table(client: TestClient, cli_env: Path) -> None:
    # National VIK = 2 (Rotterdam) + 5 (Den Haag): per table, Rotterdam's 2 is hidden, but
    # national 7 minus Den Haag's 5 would give it away.
    world(
        client,
        [
            ("vertrouwenspersoon", "rotterdam", 6),
            ("vik", "rotterdam", 2),
            ("vertrouwenspersoon", "den-haag", 5),
            ("vik", "den-haag", 5),
        ],
    )
    tables = all_tables(client, cli_env)
    assert tables["rotterdam"]["totaal"]["aantal"] == 8
    assert tables["landelijk"]["totaal"]["aantal"] == 18
    hidden = assert_no_small_cell_can_be_told(tables)
    assert hidden >= 4
    # the national coordinator gets exactly the national table of the same publication
    add_key(client, "meldpunt_misstanden", "landelijk")
    add_user(client, "mm", "meldpunt_misstanden", "landelijk", "coordinator")
    api = client.get("/api/v1/loket/statistiek", headers=login(client, "mm")).json()
    assert api["per_loket"] == tables["landelijk"]["per_loket"]


def test_polling_shows_no_change(client: TestClient, cli_env: Path, database_url: str) -> None:
    ids = world(client, [("vertrouwenspersoon", "rotterdam", 7), ("vik", "rotterdam", 5)])
    add_user(client, "co", "vertrouwenspersoon", "rotterdam", "coordinator")
    auth = login(client, "co")
    first = client.get("/api/v1/loket/statistiek?formaat=csv", headers=auth).text
    assert "loket,vik,5" in first and "loket,vertrouwenspersoon,7" in first

    # A late melding in that quarter, a status change and a deletion change nothing.
    late = submit(client, loket="vik").melding_id
    start, _ = grenzen(laatst_afgesloten(utcnow()))
    backdate(client, [late], start + timedelta(days=3))
    with database(client).session() as session:
        m = session.get(Melding, ids[0])
        assert m is not None
        m.status, m.afgerond_op = "afgerond", utcnow() - timedelta(days=400)
    with database(client).session() as session:
        assert run_retention(session, settings_for(database_url), utcnow()).count == 1
    again = client.get("/api/v1/loket/statistiek?formaat=csv", headers=auth).text
    assert again == first

    # The quarter that is still running has no statistics at all.
    now = periode_van(utcnow())
    r = client.get(f"/api/v1/loket/statistiek?periode={now}", headers=auth)
    assert r.status_code == 409 and r.json()["error"]["code"] == "periode_niet_afgesloten"
    r = client.get("/api/v1/loket/statistiek?periode=2026-Q1", headers=auth)
    assert r.status_code == 422
    # An earlier quarter is published (empty here) and also stays as it is.
    older = client.get("/api/v1/loket/statistiek?periode=2020-K1", headers=auth).json()
    assert older["totaal"]["aantal"] == 0 and older["per_loket"] == []
    with database(client).session() as session:
        assert len(session.scalars(select(Melding)).all()) == 12


def clock(soort: str, start: Any, rnd: Any) -> dict[str, Any]:
    """The clock columns of a melding of that kind: deadlines met, late or running."""
    if soort == "geen":
        return dict(termijn_soort=soort, bevestigen_voor=None, bevestigd_op=None,
                    terugkoppeling_voor=None, teruggekoppeld_op=None)  # fmt: skip
    confirmed = rnd.choice([None, start + timedelta(days=3), start + timedelta(days=20)])
    return dict(termijn_soort=soort, bevestigen_voor=start + timedelta(days=7),
                bevestigd_op=confirmed, terugkoppeling_voor=start + timedelta(days=400),
                teruggekoppeld_op=None)  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_suppression_survives_an_exhaustive_attack(seed: int) -> None:
    """Random small worlds, straight into the table builder (no HTTP): many shapes."""
    import random
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from backend.domain.casuistiek import tabellen

    rnd = random.Random(seed)
    start = datetime(2026, 4, 1, tzinfo=UTC)
    rows = [
        SimpleNamespace(
            loket=rnd.choice(["vertrouwenspersoon", "vik", "meldpunt_misstanden"]),
            eenheid=rnd.choice(["rotterdam", "den-haag"]),
            categorie=rnd.choice(["pesten", "racisme"]),
            status=rnd.choice(["ontvangen", "afgerond"]),
            ontvangen_op=start + timedelta(days=rnd.randrange(80)),
            afgerond_op=start + timedelta(days=85),
            **clock(rnd.choice(["wet", "afspraak", "geen"]), start, rnd),
        )
        for _ in range(rnd.randrange(12, 30))
    ]
    tables = tabellen(rows, "2026-K2", start)  # type: ignore[arg-type]
    assert_no_small_cell_can_be_told(tables)


def test_the_attacker_finds_the_old_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    """With only the small cells hidden (the old rule), the attack above succeeds."""
    import random
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from backend.domain import casuistiek
    from backend.domain.disclosure import primary

    start = datetime(2026, 4, 1, tzinfo=UTC)
    rows = [
        SimpleNamespace(
            loket=loket,
            eenheid="rotterdam",
            categorie="pesten",
            status="ontvangen",
            ontvangen_op=start,
            afgerond_op=None,
            **clock("geen", start, random.Random(0)),
        )
        for loket in ["vertrouwenspersoon"] * 6 + ["vik"] * 2
    ]
    monkeypatch.setattr(casuistiek, "suppress", lambda v, _e, t: primary(v, t))
    tables = casuistiek.tabellen(rows, "2026-K2", start)  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="known to be small"):
        assert_no_small_cell_can_be_told(tables)
