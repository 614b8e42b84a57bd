"""The melder's side of "Niet alleen" as the action server runs it, against a test
backend (shared by the API, security and browser tests)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from envelope import oprf
from envelope.melder_auth import signed_request
from envelope.melder_key import MelderKeys
from envelope.niet_alleen import build_entry, matching_input
from envelope.sealing import Recipient, b64d, b64e

PATHS = {
    "niet-alleen-evaluatie": "/api/v1/melder/niet-alleen/evaluatie",
    "niet-alleen-vermelding": "/api/v1/melder/niet-alleen/vermeldingen",
    "niet-alleen-status": "/api/v1/melder/niet-alleen/status",
    "niet-alleen-instemming": "/api/v1/melder/niet-alleen/instemming",
}


def post(
    client: TestClient, keys: MelderKeys, actie: str, body: dict[str, Any] | None = None
) -> Any:
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    return client.post(PATHS[actie], json=signed_request(keys, actie, challenge, body))


def oprf_output(client: TestClient, keys: MelderKeys, data: bytes) -> bytes:
    r, blinded = oprf.blind(data)
    response = post(client, keys, "niet-alleen-evaluatie", {"geblindeerd": b64e(blinded)})
    assert response.status_code == 200, response.text
    return oprf.finalize(data, r, b64d(response.json()["geevalueerd"]))


def name_person(
    client: TestClient,
    keys: MelderKeys,
    melding_id: str,
    form: dict[str, str],
    eenheid: str = "rotterdam",
) -> Any:
    """Name a person for matching; returns the backend's answer to the entry."""
    key = client.get(f"/api/v1/lokets/vertrouwenspersoon/{eenheid}/publickey").json()
    vp = Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))
    out = oprf_output(client, keys, matching_input(form))
    entry = build_entry(
        oprf_out=out,
        keys=keys,
        vermelding_id=str(uuid.uuid4()),
        melding_id=melding_id,
        eenheid=eenheid,
        form=form,
        vertrouwenspersoon=vp,
    )
    return post(client, keys, "niet-alleen-vermelding", entry.body())


def status(client: TestClient, keys: MelderKeys) -> list[dict[str, Any]]:
    response = post(client, keys, "niet-alleen-status")
    assert response.status_code == 200, response.text
    return list(response.json()["vermeldingen"])
