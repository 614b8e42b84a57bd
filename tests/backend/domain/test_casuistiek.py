"""The casuïstiekoverzicht suppresses small cells, in JSON and CSV."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from backend.storage.clock import utcnow
from backend.storage.models import Melding
from tests.backend.conftest import add_key, add_user, database, login, submit


def test_counts_with_small_cells_suppressed(client: TestClient) -> None:
    add_key(client)
    add_user(client, "co", rol="coordinator")
    ids = [submit(client, categorie="pesten").melding_id for _ in range(5)]
    submit(client, categorie="racisme")
    with database(client).session() as session:
        for i, mid in enumerate(ids):
            m = session.get(Melding, mid)
            assert m is not None
            m.status, m.afgerond_op = "afgerond", m.ontvangen_op + timedelta(days=10 + i)
    auth = login(client, "co")
    stat = client.get("/api/v1/loket/statistiek", headers=auth).json()
    assert stat["totaal"] == {"waarde": "totaal", "aantal": 6, "onderdrukt": False}
    cats = {c["waarde"]: c for c in stat["per_categorie"]}
    assert cats["pesten"]["aantal"] == 5
    assert cats["racisme"] == {"waarde": "racisme", "aantal": None, "onderdrukt": True}
    assert stat["mediane_behandelduur_dagen"] == 12.0
    month = utcnow().strftime("%Y-%m")
    assert {c["waarde"] for c in stat["per_maand"]} == {month}
    csv = client.get("/api/v1/loket/statistiek?formaat=csv", headers=auth)
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "dimensie,waarde,aantal"
    assert "categorie,racisme,<5" in lines and "categorie,pesten,5" in lines


def test_median_is_suppressed_below_five_closed(client: TestClient) -> None:
    add_key(client)
    add_user(client, "co", rol="coordinator")
    submit(client)
    stat = client.get("/api/v1/loket/statistiek", headers=login(client, "co")).json()
    assert stat["mediane_behandelduur_dagen"] is None
    assert stat["totaal"]["onderdrukt"] is True


def test_on_time_handling_per_kind_of_term(client: TestClient) -> None:
    add_key(client)
    add_key(client, "meldpunt_misstanden", "landelijk")
    add_user(client, "co", "meldpunt_misstanden", "landelijk", rol="coordinator")
    wet = [submit(client, loket="meldpunt_misstanden", categorie="misstand") for _ in range(7)]
    for _ in range(5):
        submit(client)  # vertrouwenspersoon: no term, counted as 'geen' only
    now = utcnow()
    with database(client).session() as session:
        for i, sub in enumerate(wet):
            m = session.get(Melding, sub.melding_id)
            assert m is not None
            if i < 5:  # confirmed in time
                m.status, m.bevestigd_op = "bevestigd", m.ontvangen_op + timedelta(days=2)
            else:  # not confirmed, deadline passed
                m.bevestigen_voor = now - timedelta(days=1)
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
