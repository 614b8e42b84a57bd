"""Authorization matrix: every role x every endpoint x own / other loket / other eenheid.

A melding outside the user's scope answers 404 (as if it did not exist); a
coordinator-only action answers 403 to a behandelaar; no token answers 401.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.backend.conftest import Submitted, add_key, add_user, login, submit

# (loket, key scope, eenheid of the melding)
SCOPES = {
    "vp_rotterdam": ("vertrouwenspersoon", "rotterdam", "rotterdam"),
    "vp_amsterdam": ("vertrouwenspersoon", "amsterdam", "amsterdam"),
    "vik_rotterdam": ("vik", "rotterdam", "rotterdam"),
    "lmm_landelijk": ("meldpunt_misstanden", "landelijk", "limburg"),
}
# For each user scope: which melding scope is "own"; the others are other loket/eenheid.
OWN = {"vp_rotterdam": "vp_rotterdam", "lmm_landelijk": "lmm_landelijk"}
FORWARD_TO = {
    "vertrouwenspersoon": "vik",
    "vik": "vertrouwenspersoon",
    "meldpunt_misstanden": "ombudsfunctionaris",
}

Call = Callable[[TestClient, str, dict[str, str], str], int]


def _detail(c: TestClient, mid: str, auth: dict[str, str], _loket: str) -> int:
    return c.get(f"/api/v1/loket/meldingen/{mid}", headers=auth).status_code


def _bericht(c: TestClient, mid: str, auth: dict[str, str], _loket: str) -> int:
    url = f"/api/v1/loket/meldingen/{mid}/berichten"
    return c.post(url, json={"tekst": "Hallo"}, headers=auth).status_code


def _notitie(c: TestClient, mid: str, auth: dict[str, str], _loket: str) -> int:
    url = f"/api/v1/loket/meldingen/{mid}/notities"
    return c.post(url, json={"tekst": "Notitie"}, headers=auth).status_code


def _status(c: TestClient, mid: str, auth: dict[str, str], _loket: str) -> int:
    url = f"/api/v1/loket/meldingen/{mid}/status"
    return c.post(url, json={"status": "bevestigd"}, headers=auth).status_code


def _doorsturen(c: TestClient, mid: str, auth: dict[str, str], loket: str) -> int:
    url = f"/api/v1/loket/meldingen/{mid}/doorsturen"
    return c.post(url, json={"loket": FORWARD_TO[loket]}, headers=auth).status_code


# Order matters: forwarding moves the melding, so it goes last.
CASE_ENDPOINTS: dict[str, Call] = {
    "detail": _detail,
    "bericht": _bericht,
    "notitie": _notitie,
    "status": _status,
    "doorsturen": _doorsturen,
}


def expected(endpoint: str, rol: str, own: bool) -> int:
    if not own:
        return 404
    if endpoint == "doorsturen":
        return 200 if rol == "coordinator" else 403
    return 201 if endpoint in ("bericht", "notitie") else 200


@pytest.fixture
def world(afspraak_client: TestClient) -> tuple[TestClient, dict[str, Submitted]]:
    client = afspraak_client  # every loket has a clock, so the deadline lists are scoped too
    for loket, scope, _ in SCOPES.values():
        add_key(client, loket, scope)
    add_key(client, "ombudsfunctionaris", "landelijk")
    meldingen = {}
    for name, (loket, _, eenheid) in SCOPES.items():
        categorie = "misstand" if loket == "meldpunt_misstanden" else "pesten"
        meldingen[name] = submit(
            client, loket=loket, eenheid=eenheid, categorie=categorie, toestemming=True
        )
    return client, meldingen


@pytest.mark.parametrize("rol", ["behandelaar", "coordinator"])
@pytest.mark.parametrize("user_scope", sorted(OWN))
def test_case_endpoints_matrix(
    world: tuple[TestClient, dict[str, Submitted]], rol: str, user_scope: str
) -> None:
    client, meldingen = world
    loket, scope, _ = SCOPES[user_scope]
    add_user(client, "u1", loket, scope, rol)
    auth = login(client, "u1")
    got: dict[tuple[str, str], int] = {}
    want: dict[tuple[str, str], int] = {}
    for endpoint, call in CASE_ENDPOINTS.items():
        for target, sub in meldingen.items():
            own = target == OWN[user_scope]
            got[(endpoint, target)] = call(client, sub.melding_id, auth, SCOPES[target][0])
            want[(endpoint, target)] = expected(endpoint, rol, own)
    assert got == want


@pytest.mark.parametrize("rol", ["behandelaar", "coordinator"])
@pytest.mark.parametrize("user_scope", sorted(OWN))
def test_list_endpoints_matrix(
    world: tuple[TestClient, dict[str, Submitted]], rol: str, user_scope: str
) -> None:
    client, meldingen = world
    loket, scope, _ = SCOPES[user_scope]
    add_user(client, "u1", loket, scope, rol)
    auth = login(client, "u1")
    own_id = meldingen[OWN[user_scope]].melding_id
    inbox = client.get("/api/v1/loket/meldingen", headers=auth).json()
    assert [m["id"] for m in inbox["meldingen"]] == [own_id]
    termijnen = client.get("/api/v1/loket/termijnen?binnen_dagen=92", headers=auth).json()
    assert {t["melding_id"] for t in termijnen["binnenkort"]} == {own_id}
    stats = client.get("/api/v1/loket/statistiek", headers=auth)
    assert stats.status_code == (200 if rol == "coordinator" else 403)
    csv = client.get("/api/v1/loket/statistiek?formaat=csv", headers=auth)
    assert csv.status_code == (200 if rol == "coordinator" else 403)


@pytest.mark.parametrize("token", [None, "", "garbage-token", "Bearer x"])
def test_every_loket_endpoint_needs_a_session(
    world: tuple[TestClient, dict[str, Submitted]], token: str | None
) -> None:
    client, meldingen = world
    auth = {} if token is None else {"Authorization": f"Bearer {token}"}
    mid = meldingen["vp_rotterdam"].melding_id
    for endpoint, call in CASE_ENDPOINTS.items():
        assert call(client, mid, auth, "vertrouwenspersoon") == 401, endpoint
    for path in ("/api/v1/loket/meldingen", "/api/v1/loket/termijnen", "/api/v1/loket/statistiek"):
        assert client.get(path, headers=auth).status_code == 401, path
    assert client.post("/api/v1/loket/logout", headers=auth).status_code == 401
