"""The loket API: login, inbox, reading in session, workflow, forwarding, the clock per route."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.storage.clock import utcnow
from backend.storage.models import Melding, Sessie
from tests.backend.conftest import (
    CANARY,
    PASSWORD,
    add_key,
    add_user,
    database,
    login,
    melder_status,
    submit,
)


@pytest.fixture
def ready(afspraak_client: TestClient) -> TestClient:
    """A vertrouwenspersoon and VIK, each with an afspraak (5 days to confirm)."""
    client = afspraak_client
    add_key(client)
    add_key(client, "vik", "rotterdam")
    add_user(client, "vp1")
    add_user(client, "vpco", rol="coordinator")
    add_user(client, "vik1", "vik", "rotterdam")
    return client


def test_login_and_logout(ready: TestClient) -> None:
    bad = ready.post("/api/v1/loket/login", json={"naam": "vp1", "wachtwoord": "fout-wachtwoord!!"})
    assert bad.status_code == 401 and bad.json()["error"]["en"]
    unknown = ready.post("/api/v1/loket/login", json={"naam": "niemand", "wachtwoord": PASSWORD})
    assert unknown.status_code == 401
    assert unknown.json()["error"] == bad.json()["error"]
    r = ready.post("/api/v1/loket/login", json={"naam": "vp1", "wachtwoord": PASSWORD})
    assert r.status_code == 200
    assert r.json()["gebruiker"] == {
        "naam": "vp1",
        "loket": "vertrouwenspersoon",
        "eenheid": "rotterdam",
        "rol": "behandelaar",
    }
    auth = {"Authorization": f"Bearer {r.json()['token']}"}
    assert ready.get("/api/v1/loket/meldingen", headers=auth).status_code == 200
    assert ready.post("/api/v1/loket/logout", headers=auth).status_code == 204
    assert ready.get("/api/v1/loket/meldingen", headers=auth).status_code == 401


def test_session_stores_only_a_token_hash_and_sealed_keys(ready: TestClient) -> None:
    auth = login(ready, "vp1")
    token = auth["Authorization"].split()[1]
    with database(ready).session() as session:
        row = session.scalars(select(Sessie)).one()
    assert token not in str(row.token_hash) and token not in str(row.sleutels)
    assert set(row.sleutels) == {"nonce", "ciphertext"}


def test_repeated_login_failures_are_limited(ready: TestClient) -> None:
    for _ in range(10):
        ready.post("/api/v1/loket/login", json={"naam": "vp1", "wachtwoord": "fout-wachtwoord!!"})
    r = ready.post("/api/v1/loket/login", json={"naam": "vp1", "wachtwoord": PASSWORD})
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_detail_decrypts_content_and_identity(ready: TestClient) -> None:
    sub = submit(ready, identiteit={"naam": "Voorbeeld Persoon", "telefoon": "0600000000"})
    auth = login(ready, "vp1")
    detail = ready.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth).json()
    assert CANARY in detail["inhoud"]["beschrijving"]
    assert detail["identiteit"] == {"naam": "Voorbeeld Persoon", "telefoon": "0600000000"}
    assert detail["heeft_identiteit"] is True
    inbox = ready.get("/api/v1/loket/meldingen", headers=auth).json()
    assert "identiteit" not in inbox["meldingen"][0] and "inhoud" not in inbox["meldingen"][0]


def test_status_workflow_allows_only_valid_transitions(ready: TestClient) -> None:
    sub = submit(ready)
    auth = login(ready, "vp1")
    url = f"/api/v1/loket/meldingen/{sub.melding_id}/status"

    def go(status: str) -> int:
        return ready.post(url, json={"status": status}, headers=auth).status_code

    assert go("in_behandeling") == 409
    assert go("afgerond") == 409
    assert go("bevestigd") == 200
    assert go("bevestigd") == 409
    assert go("in_behandeling") == 200
    assert go("afgerond") == 200
    assert go("in_behandeling") == 409
    assert ready.post(url, json={"status": "doorverwezen"}, headers=auth).status_code == 422
    assert ready.post(url, json={"status": "ingetrokken"}, headers=auth).status_code == 422
    detail = ready.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth).json()
    assert detail["bevestigd_op"] and detail["afgerond_op"] and detail["teruggekoppeld_op"]


def test_inbox_filters(ready: TestClient) -> None:
    a = submit(ready, categorie="pesten")
    submit(ready, categorie="racisme")
    auth = login(ready, "vp1")
    ready.post(
        f"/api/v1/loket/meldingen/{a.melding_id}/status", json={"status": "bevestigd"}, headers=auth
    )

    def ids(query: str) -> set[str]:
        body = ready.get(f"/api/v1/loket/meldingen{query}", headers=auth).json()
        return {m["id"] for m in body["meldingen"]}

    assert len(ids("")) == 2
    assert ids("?status=bevestigd") == {a.melding_id}
    assert len(ids("?categorie=racisme")) == 1
    assert ids("?termijn=te_laat") == set()
    # Due soon: the unconfirmed one within 8 days (the afspraak: confirm within 5 days).
    assert len(ids("?termijn=binnenkort&binnen_dagen=8")) == 1
    assert ready.get("/api/v1/loket/meldingen?status=kapot", headers=auth).status_code == 422


def test_overdue_lists(ready: TestClient) -> None:
    sub = submit(ready)
    with database(ready).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.bevestigen_voor = utcnow() - timedelta(days=1)
    auth = login(ready, "vp1")
    lists = ready.get("/api/v1/loket/termijnen?binnen_dagen=7", headers=auth).json()
    assert [(t["melding_id"], t["soort"]) for t in lists["te_laat"]] == [
        (sub.melding_id, "bevestiging")
    ]
    inbox = ready.get("/api/v1/loket/meldingen?termijn=te_laat", headers=auth).json()
    assert inbox["meldingen"][0]["te_laat"] == ["bevestiging"]


def test_forward_needs_consent_and_a_coordinator(ready: TestClient) -> None:
    without = submit(ready)
    co = login(ready, "vpco")
    url = f"/api/v1/loket/meldingen/{without.melding_id}/doorsturen"
    r = ready.post(url, json={"loket": "vik"}, headers=co)
    assert r.status_code == 409 and r.json()["error"]["code"] == "geen_toestemming"
    sub = submit(ready, toestemming=True)
    url = f"/api/v1/loket/meldingen/{sub.melding_id}/doorsturen"
    behandelaar = login(ready, "vp1")
    assert ready.post(url, json={"loket": "vik"}, headers=behandelaar).status_code == 403
    assert ready.post(url, json={"loket": "leidinggevende"}, headers=co).status_code == 422
    assert ready.post(url, json={"loket": "vertrouwenspersoon"}, headers=co).status_code == 422


def test_forward_rewraps_for_the_new_loket(ready: TestClient) -> None:
    sub = submit(ready, toestemming=True, identiteit={"naam": "Voorbeeld"})
    co = login(ready, "vpco")
    base = f"/api/v1/loket/meldingen/{sub.melding_id}"
    ready.post(f"{base}/berichten", json={"tekst": "Mag ik doorsturen?"}, headers=co)
    ready.post(f"{base}/notities", json={"tekst": "alleen voor VP"}, headers=co)
    r = ready.post(f"{base}/doorsturen", json={"loket": "vik"}, headers=co)
    assert r.status_code == 200, r.text
    assert (
        r.json()["status"] == "doorverwezen"
        and r.json()["doorverwezen_van"] == "vertrouwenspersoon"
    )
    # The forwarding loket no longer has the melding.
    assert ready.get(base, headers=co).status_code == 404
    vik = login(ready, "vik1")
    detail = ready.get(base, headers=vik).json()
    assert CANARY in detail["inhoud"]["beschrijving"]
    assert detail["identiteit"] is None  # not sent along
    assert [b["tekst"] for b in detail["berichten"]] == ["Mag ik doorsturen?"]
    # The melder sees the new loket and can keep talking.
    status = melder_status(ready, sub)
    assert status["loket"] == "vik" and status["status"] == "doorverwezen"
    assert (
        ready.post(f"{base}/status", json={"status": "in_behandeling"}, headers=vik).status_code
        == 200
    )
    # The original envelope header is kept for decryption.
    with database(ready).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None and m.kop is not None
        assert m.kop["loket"] == "vertrouwenspersoon" and m.loket == "vik"
        with pytest.raises(ValueError, match="never changes"):
            m.kop = {**m.kop, "loket": "vik"}


def test_forward_can_include_the_identity(ready: TestClient) -> None:
    sub = submit(ready, toestemming=True, identiteit={"naam": "Voorbeeld"})
    co = login(ready, "vpco")
    base = f"/api/v1/loket/meldingen/{sub.melding_id}"
    r = ready.post(
        f"{base}/doorsturen", json={"loket": "vik", "identiteit_meesturen": True}, headers=co
    )
    assert r.status_code == 200
    detail = ready.get(base, headers=login(ready, "vik1")).json()
    assert detail["identiteit"] == {"naam": "Voorbeeld"}


def test_national_loket_sees_every_eenheid(ready: TestClient) -> None:
    add_key(ready, "meldpunt_misstanden", "landelijk")
    add_user(ready, "lmm1", "meldpunt_misstanden", "landelijk")
    submit(ready, loket="meldpunt_misstanden", eenheid="limburg", categorie="misstand")
    submit(ready, loket="meldpunt_misstanden", eenheid="amsterdam", categorie="misstand")
    auth = login(ready, "lmm1")
    inbox = ready.get("/api/v1/loket/meldingen", headers=auth).json()
    assert {m["eenheid"] for m in inbox["meldingen"]} == {"limburg", "amsterdam"}


def test_deadline_lists_hold_only_deadlines_that_exist_labelled_by_kind(
    client: TestClient,
) -> None:
    add_key(client)
    add_key(client, "meldpunt_misstanden", "landelijk")
    add_user(client, "vp1")
    add_user(client, "lmm1", "meldpunt_misstanden", "landelijk")
    vp = submit(client)
    lmm = submit(client, loket="meldpunt_misstanden", categorie="misstand")

    vp_auth = login(client, "vp1")
    assert client.get("/api/v1/loket/termijnen?binnen_dagen=92", headers=vp_auth).json() == {
        "binnen_dagen": 92,
        "te_laat": [],
        "binnenkort": [],
    }
    inbox = client.get("/api/v1/loket/meldingen", headers=vp_auth).json()["meldingen"]
    assert [(m["id"], m["termijn_label"], m["bevestigen_voor"]) for m in inbox] == [
        (vp.melding_id, "geen termijn", None)
    ]

    lmm_auth = login(client, "lmm1")
    lists = client.get("/api/v1/loket/termijnen?binnen_dagen=92", headers=lmm_auth).json()
    # Feedback is due 3 months after day 7: beyond the 92-day window.
    assert [(t["melding_id"], t["soort"], t["termijn_label"]) for t in lists["binnenkort"]] == [
        (lmm.melding_id, "bevestiging", "wettelijke termijn")
    ]


def test_forwarding_keeps_the_legal_term_and_restarts_any_other(
    afspraak_client: TestClient,
) -> None:
    client = afspraak_client
    for loket, scope in (
        ("vertrouwenspersoon", "rotterdam"),
        ("meldpunt_misstanden", "landelijk"),
        ("ombudsfunctionaris", "landelijk"),
    ):
        add_key(client, loket, scope)
    add_user(client, "vpco", rol="coordinator")
    add_user(client, "lmmco", "meldpunt_misstanden", "landelijk", rol="coordinator")

    # A misstand goes from the meldpunt to the ombudsfunctionaris: the legal term stays.
    lmm = submit(client, loket="meldpunt_misstanden", categorie="misstand", toestemming=True)
    auth = login(client, "lmmco")
    before = client.get(f"/api/v1/loket/meldingen/{lmm.melding_id}", headers=auth).json()
    url = f"/api/v1/loket/meldingen/{lmm.melding_id}/doorsturen"
    after = client.post(url, json={"loket": "ombudsfunctionaris"}, headers=auth).json()
    assert after["termijn_soort"] == "wet"
    assert after["bevestigen_voor"] == before["bevestigen_voor"]
    assert after["terugkoppeling_voor"] == before["terugkoppeling_voor"]

    # A confirmed VP melding goes to the meldpunt: the legal term starts at forwarding,
    # and the meldpunt confirms itself.
    vp = submit(client, toestemming=True)
    auth = login(client, "vpco")
    status_url = f"/api/v1/loket/meldingen/{vp.melding_id}/status"
    client.post(status_url, json={"status": "bevestigd"}, headers=auth)
    url = f"/api/v1/loket/meldingen/{vp.melding_id}/doorsturen"
    moved = client.post(url, json={"loket": "meldpunt_misstanden"}, headers=auth).json()
    assert moved["termijn_soort"] == "wet" and moved["bevestigd_op"] is None
    start = datetime.fromisoformat(moved["bevestigen_voor"]) - timedelta(days=7)
    assert start > datetime.fromisoformat(moved["ontvangen_op"])
