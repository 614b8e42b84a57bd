"""The portal detail of a melding that was first only stored shows when the melder
wrote it down (docs/bewaarmelding.md)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.backend.api.test_bewaarmelding import send, store
from tests.backend.conftest import CANARY, add_key, add_user
from tests.backend.pages.test_pages import portal_login


def test_portal_shows_the_original_time_only_after_sending(client: TestClient) -> None:
    add_key(client)
    add_user(client, "vp.rotterdam")
    keys, bewaar_id = store(client)
    portal_login(client, "vp.rotterdam")
    assert CANARY not in client.get("/portaal/inbox").text
    assert client.get(f"/portaal/melding/{bewaar_id}").status_code == 404

    assert send(client, keys, bewaar_id).status_code == 201
    detail = client.get(f"/portaal/melding/{bewaar_id}")
    assert detail.status_code == 200 and CANARY in detail.text
    assert "Vastgelegd" in detail.text and "eerst alleen bewaard door de melder" in detail.text
