"""The anonymous melder API: status, messages both ways, aanvulling, withdrawal.

Current meldcodes: the test plays the melder's side (envelope/melder_auth.py), as
the action server and the follow-up page do. Older 16-character meldcodes: the old
path with the code in the body.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.domain.termijnen import add_months
from backend.storage.models import Bericht, Melding
from envelope.meldcode import new_meldcode
from envelope.melder_auth import signed_request
from envelope.melder_key import melder_keys
from tests.backend.conftest import (
    CANARY,
    Submitted,
    add_key,
    add_user,
    database,
    legacy_meldcode,
    login,
    melder_post,
    melder_status,
    melder_withdraw,
    melder_write,
    submit,
)

# Sealed, but for nobody the backend knows (mw2 shape).
SEALED = {
    "v": "mw2",
    "alg": "HPKE-Base-X25519-SHA256-AES256GCM/AES-256-GCM",
    "nonce": "AAAAAAAAAAAAAAAA",
    "ciphertext": "A" * 32,
    "recipients": [{"kid": "0123456789abcdef", "wrapped_key": "A" * 107 + "="}],
}


@pytest.fixture
def ready(client: TestClient) -> TestClient:
    add_key(client)
    add_user(client, "vp1")
    return client


@pytest.fixture(params=["huidig", "ouder"])
def soort_code(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_status_of_a_vertrouwenspersoon_melding_has_no_clock(
    ready: TestClient, soort_code: str
) -> None:
    sub = submit(ready, legacy=soort_code == "ouder")
    data = melder_status(ready, sub)
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
    data = melder_status(client, sub)
    assert (data["termijn_soort"], data["termijn_label"]) == ("wet", "wettelijke termijn")
    confirm = datetime.fromisoformat(data["bevestigen_voor"])
    received = datetime.fromisoformat(data["ontvangen_op"])
    assert confirm - received == timedelta(days=7)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) == add_months(confirm, 3)

    auth = login(client, "lmm1")
    url = f"/api/v1/loket/meldingen/{sub.melding_id}/status"
    assert client.post(url, json={"status": "bevestigd"}, headers=auth).status_code == 200
    data = melder_status(client, sub)
    confirmed = datetime.fromisoformat(data["bevestigd_op"])
    # Confirmed today: feedback is due 3 months after the confirmation, not after day 7.
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) == add_months(confirmed, 3)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) < add_months(confirm, 3)


def test_status_shows_a_configured_afspraak_as_afspraak(afspraak_client: TestClient) -> None:
    add_key(afspraak_client)
    sub = submit(afspraak_client)
    data = melder_status(afspraak_client, sub)
    assert (data["termijn_soort"], data["termijn_label"]) == ("afspraak", "afspraak")
    received = datetime.fromisoformat(data["ontvangen_op"])
    assert datetime.fromisoformat(data["bevestigen_voor"]) - received == timedelta(days=5)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) - received == timedelta(days=30)


def test_meldcode_is_accepted_in_lower_case_without_dashes(ready: TestClient) -> None:
    sub = submit(ready)
    typed = melder_keys(sub.meldcode.replace("-", "").lower().replace("0", "o"))
    assert melder_post(ready, typed, "status").json()["melding_id"] == sub.melding_id
    old = submit(ready, legacy=True)
    typed_old = Submitted(old.melding_id, old.meldcode.replace("-", "").lower(), old.body)
    assert melder_status(ready, typed_old)["melding_id"] == old.melding_id


def test_two_way_conversation_and_confirmation(ready: TestClient, soort_code: str) -> None:
    sub = submit(ready, legacy=soort_code == "ouder")
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

    r = melder_write(ready, sub, "bericht", "Elke maandag.")
    assert r.status_code == 201, r.text
    assert r.json()["melding_id"] == sub.melding_id
    r = melder_write(ready, sub, "aanvulling", "Er was ook een getuige.")
    assert r.status_code == 201

    data = melder_status(ready, sub)
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


def test_texts_are_stored_only_sealed(ready: TestClient, soort_code: str) -> None:
    sub = submit(ready, legacy=soort_code == "ouder")
    assert melder_write(ready, sub, "aanvulling", CANARY).status_code == 201
    with database(ready).session() as session:
        rows = list(session.scalars(select(Bericht)))
    assert len(rows) == 1
    assert CANARY not in str(rows[0].sealed)
    assert len(rows[0].sealed["recipients"]) == 2  # loket + melder


def test_withdrawal(ready: TestClient, soort_code: str) -> None:
    sub = submit(ready, legacy=soort_code == "ouder")
    r = melder_withdraw(ready, sub)
    assert r.status_code == 200 and r.json()["status"] == "ingetrokken"
    data = melder_status(ready, sub)
    assert data["status"] == "ingetrokken" and data.get("loket_sleutel") is None
    again = melder_withdraw(ready, sub)
    assert again.status_code == 200
    if sub.keys is None:
        blocked = melder_write(ready, sub, "bericht", "nog iets")
    else:  # no loket key is handed out any more; a reply sealed anyway is refused
        blocked = melder_post(
            ready, sub.keys, "berichten", {"bericht_id": str(uuid.uuid4()), "sealed": SEALED}
        )
    assert blocked.status_code == 409 and blocked.json()["error"]["nl"]
    auth = login(ready, "vp1")
    inbox = ready.get("/api/v1/loket/meldingen?alleen_open=true", headers=auth).json()
    assert inbox["aantal"] == 0
    everything = ready.get("/api/v1/loket/meldingen", headers=auth).json()
    assert everything["meldingen"][0]["status"] == "ingetrokken"
    assert everything["meldingen"][0]["ingetrokken_op"] is not None


def test_unknown_code_is_404_in_dutch_and_english(ready: TestClient) -> None:
    r = ready.post("/api/v1/melder/status", json={"meldcode": legacy_meldcode()})
    assert r.status_code == 404
    assert r.json()["error"]["nl"] and r.json()["error"]["en"]
    r = melder_post(ready, melder_keys(new_meldcode()), "status")
    assert r.status_code == 404
    assert r.json()["error"]["nl"] and r.json()["error"]["en"]


def test_a_signature_counts_once_and_only_for_its_own_request(ready: TestClient) -> None:
    sub = submit(ready)
    assert sub.keys is not None
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    body = signed_request(sub.keys, "status", challenge)
    assert ready.post("/api/v1/melder/status", json=body).status_code == 200
    assert ready.post("/api/v1/melder/status", json=body).status_code == 404  # replayed
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    as_status = signed_request(sub.keys, "status", challenge)
    withdraw = ready.post("/api/v1/melder/intrekken", json=as_status)  # other action
    assert withdraw.status_code == 404
    forged = signed_request(melder_keys(new_meldcode()), "status", challenge)
    forged["bewijs"]["sleutel"] = as_status["bewijs"]["sleutel"]  # someone else's key
    assert ready.post("/api/v1/melder/status", json=forged).status_code == 404
    with database(ready).session() as session:
        assert session.get(Melding, sub.melding_id).status == "ontvangen"  # type: ignore[union-attr]


def test_a_current_meldcode_in_the_body_is_refused(ready: TestClient) -> None:
    sub = submit(ready)
    r = ready.post("/api/v1/melder/status", json={"meldcode": sub.meldcode})
    assert r.status_code == 422
    assert sub.meldcode not in r.text and sub.meldcode.split("-")[1] not in r.text


@pytest.mark.parametrize(
    "body",
    [
        {"meldcode": "1234"},
        {"meldcode": "UUUU-UUUU-UUUU-UUUU"},
        {},
        {"meldcode": 5},
        {"bewijs": {"sleutel": "UUUU", "uitdaging": "x" * 20, "handtekening": "UUUU"}},
    ],
)
def test_malformed_code_is_422_without_echo(ready: TestClient, body: dict) -> None:  # type: ignore[type-arg]
    r = ready.post("/api/v1/melder/status", json=body)
    assert r.status_code == 422
    assert "UUUU" not in r.text


def test_texts_are_limited(ready: TestClient) -> None:
    sub = submit(ready, legacy=True)
    for tekst in ("", "   ", "x" * 5001):
        r = ready.post("/api/v1/melder/berichten", json={"meldcode": sub.meldcode, "tekst": tekst})
        assert r.status_code == 422
    ok = ready.post(
        "/api/v1/melder/berichten", json={"meldcode": sub.meldcode, "tekst": "x" * 5000}
    )
    assert ok.status_code == 201


def test_a_reply_not_sealed_for_the_loket_is_refused(ready: TestClient) -> None:
    sub = submit(ready)
    assert sub.keys is not None
    body = {"bericht_id": str(uuid.uuid4()), "sealed": SEALED}
    r = melder_post(ready, sub.keys, "berichten", body)
    assert r.status_code == 422 and r.json()["error"]["nl"]
    clear = melder_post(ready, sub.keys, "berichten", {"tekst": "in klare tekst"})
    assert clear.status_code == 422


def test_meldcode_is_never_in_a_url(ready: TestClient) -> None:
    paths = ready.get("/openapi.json").json()["paths"]
    for path, ops in paths.items():
        if path.startswith("/api/v1/melder"):
            assert set(ops) == {"post"}
            assert "{" not in path
