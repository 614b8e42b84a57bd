"""The casuïstiekoverzicht of a closed quarter suppresses small cells, in JSON and CSV.

Subtraction, other tables and polling: tests/security/test_statistics_disclosure.py.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from backend.domain.casuistiek import grenzen, laatst_afgesloten, periode_van, recente_perioden
from backend.storage.clock import utcnow
from backend.storage.models import Melding
from tests.backend.conftest import add_key, add_user, database, login, submit


def last_quarter(client: TestClient, ids: list[str]) -> None:
    start, _ = grenzen(laatst_afgesloten(utcnow()))
    with database(client).session() as session:
        session.execute(
            update(Melding)
            .where(Melding.id.in_(ids))
            .values(ontvangen_op=start + timedelta(days=5))
        )


def test_counts_with_small_cells_suppressed(client: TestClient) -> None:
    add_key(client)
    add_user(client, "co", rol="coordinator")
    ids = [submit(client, categorie="pesten").melding_id for _ in range(5)]
    ids += [submit(client, categorie="racisme").melding_id for _ in range(5)]
    ids.append(submit(client, categorie="intimidatie").melding_id)
    last_quarter(client, ids)
    start, _ = grenzen(laatst_afgesloten(utcnow()))
    with database(client).session() as session:
        for i, mid in enumerate(ids[:5]):
            m = session.get(Melding, mid)
            assert m is not None
            m.status, m.afgerond_op = "afgerond", start + timedelta(days=15 + i)
    auth = login(client, "co")
    stat = client.get("/api/v1/loket/statistiek", headers=auth).json()
    assert stat["periode"] == laatst_afgesloten(utcnow())
    assert stat["totaal"] == {"waarde": "totaal", "aantal": 11, "onderdrukt": False}
    cats = {c["waarde"]: c for c in stat["per_categorie"]}
    assert cats["intimidatie"] == {"waarde": "intimidatie", "aantal": None, "onderdrukt": True}
    # 11 - 5 - 5 would give intimidatie away: a second cell is hidden too.
    assert [c["onderdrukt"] for c in (cats["pesten"], cats["racisme"])].count(True) == 1
    assert stat["afgerond"]["aantal"] == 5
    assert stat["mediane_behandelduur_dagen"] == 12.0
    assert len(stat["per_maand"]) == 1
    csv = client.get("/api/v1/loket/statistiek?formaat=csv", headers=auth)
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "dimensie,waarde,aantal"
    assert "categorie,intimidatie,verborgen" in lines and "afgerond,afgerond,5" in lines


def test_median_is_suppressed_below_five_closed(client: TestClient) -> None:
    add_key(client)
    add_user(client, "co", rol="coordinator")
    last_quarter(client, [submit(client).melding_id])
    stat = client.get("/api/v1/loket/statistiek", headers=login(client, "co")).json()
    assert stat["mediane_behandelduur_dagen"] is None
    assert stat["totaal"]["onderdrukt"] is True


def test_quarters() -> None:
    now = utcnow()
    assert periode_van(now) != laatst_afgesloten(now)
    perioden = recente_perioden(now, 5)
    assert len(set(perioden)) == 5 and perioden[0] == laatst_afgesloten(now)
    start, end = grenzen("2026-K4")
    assert (start.month, end.year, end.month) == (10, 2027, 1)


def test_on_time_handling_per_kind_of_term(client: TestClient) -> None:
    add_key(client)
    add_key(client, "meldpunt_misstanden", "landelijk")
    add_user(client, "co", "meldpunt_misstanden", "landelijk", rol="coordinator")
    wet = [submit(client, loket="meldpunt_misstanden", categorie="misstand") for _ in range(7)]
    # vertrouwenspersoon: no term, counted as 'geen' only
    geen = [submit(client).melding_id for _ in range(5)]
    last_quarter(client, [s.melding_id for s in wet] + geen)
    start, end = grenzen(laatst_afgesloten(utcnow()))
    with database(client).session() as session:
        for i, sub in enumerate(wet):
            m = session.get(Melding, sub.melding_id)
            assert m is not None
            m.bevestigen_voor = start + timedelta(days=12)
            m.terugkoppeling_voor = utcnow() + timedelta(days=60)  # still running at publication
            if i < 5:  # confirmed in time
                m.status, m.bevestigd_op = "bevestigd", start + timedelta(days=7)
            else:  # not confirmed, deadline passed
                m.bevestigen_voor = start + timedelta(days=6)
    stat = client.get("/api/v1/loket/statistiek", headers=login(client, "co")).json()
    soorten = {c["waarde"]: c["aantal"] for c in stat["per_termijn_soort"]}
    assert soorten == {"wet": 7, "geen": 5}
    nakoming = {c["waarde"]: c for c in stat["termijn_nakoming"]}
    assert nakoming["wet bevestiging op_tijd"]["aantal"] == 5
    assert nakoming["wet bevestiging te_laat"]["onderdrukt"] is True  # 2: fewer than 5
    assert nakoming["wet terugkoppeling loopt"]["aantal"] == 7
    assert not any(w.startswith("geen") for w in nakoming)
    csv = client.get("/api/v1/loket/statistiek?formaat=csv", headers=login(client, "co")).text
    assert "termijn_nakoming,wet bevestiging op_tijd,5" in csv.splitlines()
