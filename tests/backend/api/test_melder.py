"""The anonymous melder API: status, messages both ways, aanvulling, withdrawal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.domain.termijnen import add_months
from backend.storage.models import Bericht
from envelope.meldcode import new_meldcode
from tests.backend.conftest import CANARY, add_key, add_user, database, login, submit


@pytest.fixture
def ready(client: TestClient) -> TestClient:
    add_key(client)
    add_user(client, "vp1")
    return client


def status(client: TestClient, meldcode: str) -> dict:  # type: ignore[type-arg]
    response = client.post("/api/v1/melder/status", json={"meldcode": meldcode})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_status_of_a_vertrouwenspersoon_melding_has_no_clock(ready: TestClient) -> None:
    sub = submit(ready)
    data = status(ready, sub.meldcode)
    assert data["melding_id"] == sub.melding_id
    assert data["status"] == "ontvangen"
    assert data["loket"] == "vertrouwenspersoon" and data["loket_naam"]
    assert (data["eenheid"], data["categorie"]) == ("rotterdam", "pesten")
    assert data["bevestigd_op"] is None and data["berichten"] == []
    assert (data["termijn_soort"], data["termijn_label"]) == ("geen", "geen termijn")
    assert data["bevestigen_voor"] is None and data["terugkoppeling_voor"] is None


def test_status_of_a_misstand_has_the_legal_clock_counted_from_the_confirmation(
    client: TestClient,
) -> None:
    add_key(client, "meldpunt_misstanden", "landelijk")
    add_user(client, "lmm1", "meldpunt_misstanden", "landelijk")
    sub = submit(client, loket="meldpunt_misstanden", categorie="misstand")
    data = status(client, sub.meldcode)
    assert (data["termijn_soort"], data["termijn_label"]) == ("wet", "wettelijke termijn")
    confirm = datetime.fromisoformat(data["bevestigen_voor"])
    received = datetime.fromisoformat(data["ontvangen_op"])
    assert confirm - received == timedelta(days=7)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) == add_months(confirm, 3)

    auth = login(client, "lmm1")
    url = f"/api/v1/loket/meldingen/{sub.melding_id}/status"
    assert client.post(url, json={"status": "bevestigd"}, headers=auth).status_code == 200
    data = status(client, sub.meldcode)
    confirmed = datetime.fromisoformat(data["bevestigd_op"])
    # Confirmed today: feedback is due 3 months after the confirmation, not after day 7.
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) == add_months(confirmed, 3)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) < add_months(confirm, 3)


def test_status_shows_a_configured_afspraak_as_afspraak(afspraak_client: TestClient) -> None:
    add_key(afspraak_client)
    sub = submit(afspraak_client)
    data = status(afspraak_client, sub.meldcode)
    assert (data["termijn_soort"], data["termijn_label"]) == ("afspraak", "afspraak")
    received = datetime.fromisoformat(data["ontvangen_op"])
    assert datetime.fromisoformat(data["bevestigen_voor"]) - received == timedelta(days=5)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) - received == timedelta(days=30)


def test_meldcode_is_accepted_in_lower_case_without_dashes(ready: TestClient) -> None:
    sub = submit(ready)
    assert status(ready, sub.meldcode.replace("-", "").lower())["melding_id"] == sub.melding_id


def test_two_way_conversation_and_confirmation(ready: TestClient) -> None:
    sub = submit(ready)
    auth = login(ready, "vp1")
    base = f"/api/v1/loket/meldingen/{sub.melding_id}"
    assert (
        ready.post(f"{base}/status", json={"status": "bevestigd"}, headers=auth).status_code == 200
    )
    r = ready.post(
        f"{base}/berichten", json={"tekst": "Dank je. Wil je vertellen wanneer?"}, headers=auth
    )
    assert r.status_code == 201, r.text
    ready.post(f"{base}/notities", json={"tekst": "Interne notitie: bellen met TC"}, headers=auth)

    r = ready.post(
        "/api/v1/melder/berichten", json={"meldcode": sub.meldcode, "tekst": "Elke maandag."}
    )
    assert r.status_code == 201, r.text
    assert r.json()["melding_id"] == sub.melding_id
    r = ready.post(
        "/api/v1/melder/aanvulling",
        json={"meldcode": sub.meldcode, "tekst": "Er was ook een getuige."},
    )
    assert r.status_code == 201

    data = status(ready, sub.meldcode)
    assert data["status"] == "bevestigd" and data["bevestigd_op"] is not None
    assert [(b["van"], b["soort"], b["tekst"]) for b in data["berichten"]] == [
        ("loket", "bericht", "Dank je. Wil je vertellen wanneer?"),
        ("melder", "bericht", "Elke maandag."),
        ("melder", "aanvulling", "Er was ook een getuige."),
    ]
    assert "Interne notitie" not in str(data)

    detail = ready.get(base, headers=auth).json()
    assert [b["soort"] for b in detail["berichten"]] == [
        "bericht",
        "notitie",
        "bericht",
        "aanvulling",
    ]
    assert CANARY in detail["inhoud"]["beschrijving"]


def test_texts_are_stored_only_sealed(ready: TestClient) -> None:
    sub = submit(ready)
    ready.post("/api/v1/melder/aanvulling", json={"meldcode": sub.meldcode, "tekst": CANARY})
    with database(ready).session() as session:
        rows = list(session.scalars(select(Bericht)))
    assert len(rows) == 1
    assert CANARY not in str(rows[0].sealed)
    assert len(rows[0].sealed["recipients"]) == 2  # loket + melder


def test_withdrawal(ready: TestClient) -> None:
    sub = submit(ready)
    r = ready.post("/api/v1/melder/intrekken", json={"meldcode": sub.meldcode})
    assert r.status_code == 200 and r.json()["status"] == "ingetrokken"
    assert status(ready, sub.meldcode)["status"] == "ingetrokken"
    again = ready.post("/api/v1/melder/intrekken", json={"meldcode": sub.meldcode})
    assert again.status_code == 200
    blocked = ready.post(
        "/api/v1/melder/berichten", json={"meldcode": sub.meldcode, "tekst": "nog iets"}
    )
    assert blocked.status_code == 409 and blocked.json()["error"]["nl"]
    auth = login(ready, "vp1")
    inbox = ready.get("/api/v1/loket/meldingen?alleen_open=true", headers=auth).json()
    assert inbox["aantal"] == 0
    everything = ready.get("/api/v1/loket/meldingen", headers=auth).json()
    assert everything["meldingen"][0]["status"] == "ingetrokken"
    assert everything["meldingen"][0]["ingetrokken_op"] is not None


def test_unknown_code_is_404_in_dutch_and_english(ready: TestClient) -> None:
    r = ready.post("/api/v1/melder/status", json={"meldcode": new_meldcode()})
    assert r.status_code == 404
    assert r.json()["error"]["nl"] and r.json()["error"]["en"]


@pytest.mark.parametrize(
    "body",
    [{"meldcode": "1234"}, {"meldcode": "UUUU-UUUU-UUUU-UUUU"}, {}, {"meldcode": 5}],
)
def test_malformed_code_is_422_without_echo(ready: TestClient, body: dict) -> None:  # type: ignore[type-arg]
    r = ready.post("/api/v1/melder/status", json=body)
    assert r.status_code == 422
    assert "UUUU" not in r.text


def test_texts_are_limited(ready: TestClient) -> None:
    sub = submit(ready)
    for tekst in ("", "   ", "x" * 5001):
        r = ready.post("/api/v1/melder/berichten", json={"meldcode": sub.meldcode, "tekst": tekst})
        assert r.status_code == 422
    ok = ready.post(
        "/api/v1/melder/berichten", json={"meldcode": sub.meldcode, "tekst": "x" * 5000}
    )
    assert ok.status_code == 201


def test_meldcode_is_never_in_a_url(ready: TestClient) -> None:
    paths = ready.get("/openapi.json").json()["paths"]
    for path, ops in paths.items():
        if path.startswith("/api/v1/melder"):
            assert set(ops) == {"post"}
            assert "{" not in path
