"""Bewaarmeldingen: stored sealed to the melder only, opened, added to, deleted, sent.

The test plays the melder's side (envelope/bewaarmelding.py), as the action server and
the follow-up page do. What a loket would notice: nothing, until the melder sends it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from backend.core.config import Settings
from backend.domain.casuistiek import counts
from backend.domain.retention import run_retention
from backend.keys.loket_keys import unlock
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import AuditRegel, Bewaarmelding, LoketKey, Melding
from envelope.bewaarmelding import (
    bewaar_body,
    bewaar_header,
    open_record,
    seal_record,
    verzend_body,
)
from envelope.meldcode import new_meldcode
from envelope.melder_auth import signed_request
from envelope.melder_key import MelderKeys, melder_keys
from envelope.sealing import SealError, b64e, open_sealed
from tests.backend.conftest import (
    CANARY,
    PASSPHRASE,
    add_key,
    add_user,
    database,
    login,
    melder_post,
    signed_post,
    submit,
)

PATHS = {
    "bewaard_openen": "/api/v1/melder/bewaard/openen",
    "bewaard_aanvullen": "/api/v1/melder/bewaard/aanvullen",
    "bewaard_verwijderen": "/api/v1/melder/bewaard/verwijderen",
    "bewaard_versturen": "/api/v1/melder/bewaard/versturen",
}


def record_for(loket: str = "vertrouwenspersoon", eenheid: str = "rotterdam") -> dict[str, Any]:
    return {
        "schema": "meldwijzer.melding/1",
        "aangemaakt_op": "2026-11-26T10:00:00+00:00",
        "kanaal": "chat",
        "loket": loket,
        "loket_naam": "Vertrouwenspersoon",
        "categorie": "pesten",
        "eenheid": eenheid,
        "beschrijving": f"Ze lachen me uit bij elke briefing. {CANARY}",
        "wens": "steun",
        "anoniem": True,
        "toestemming_doorsturen": False,
    }


def store(client: TestClient, record: dict[str, Any] | None = None) -> tuple[MelderKeys, str]:
    keys = melder_keys(new_meldcode())
    bewaar_id = str(uuid.uuid4())
    body = bewaar_body(record or record_for(), bewaar_id, keys)
    response = signed_post(client, "/api/v1/bewaarmeldingen", body)
    assert response.status_code == 201, response.text
    return keys, bewaar_id


def melder(client: TestClient, keys: MelderKeys, actie: str, body: Any = None) -> Any:
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    return client.post(PATHS[actie], json=signed_request(keys, actie, challenge, body))


def opened(client: TestClient, keys: MelderKeys) -> dict[str, Any]:
    response = melder(client, keys, "bewaard_openen")
    assert response.status_code == 200, response.text
    data = response.json()
    return open_record(data["sealed"], data["bewaar_id"], keys)


def send(client: TestClient, keys: MelderKeys, bewaar_id: str) -> Any:
    record = opened(client, keys)
    key = client.get(f"/api/v1/lokets/{record['loket']}/{record['eenheid']}/publickey").json()
    return melder(client, keys, "bewaard_versturen", verzend_body(record, bewaar_id, key, keys))


def inbox(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/api/v1/loket/meldingen", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["meldingen"])


def total_count(client: TestClient) -> int:
    with database(client).session() as session:
        values, _ = counts(list(session.scalars(select(Melding))), utcnow())
    return values[("landelijk", "totaal", "")]


@pytest.fixture
def ready(client: TestClient) -> TestClient:
    add_key(client)
    add_user(client, "vp1")
    return client


def test_store_answers_the_expiry_twelve_months_on_and_the_melder_opens_it(
    ready: TestClient,
) -> None:
    keys, bewaar_id = store(ready)
    response = melder(ready, keys, "bewaard_openen")
    assert response.status_code == 200
    data = response.json()
    vastgelegd = datetime.fromisoformat(data["vastgelegd_op"])
    verloopt = datetime.fromisoformat(data["verloopt_op"])
    assert 360 <= (verloopt - vastgelegd).days <= 366
    record = open_record(data["sealed"], bewaar_id, keys)
    assert CANARY in record["beschrijving"]


def test_the_loket_cannot_open_it_and_sees_and_counts_nothing(ready: TestClient) -> None:
    headers = login(ready, "vp1")
    submit(ready)  # one ordinary melding, so the inbox and counts are not trivially empty
    before_inbox, before_count = inbox(ready, headers), total_count(ready)
    keys, bewaar_id = store(ready)
    assert inbox(ready, headers) == before_inbox
    assert total_count(ready) == before_count
    with database(ready).session() as session:
        row = session.get(Bewaarmelding, bewaar_id)
        assert row is not None
        sealed = dict(row.sealed)
        loket_kids = {k.kid for k in session.scalars(select(LoketKey))}
        private = unlock(session.scalars(select(LoketKey)).one(), PASSPHRASE)
    # Wrapped for the melder's key alone: no wrap for any loket kid.
    assert [r["kid"] for r in sealed["recipients"]] == [keys.recipient.kid]
    assert not loket_kids & {r["kid"] for r in sealed["recipients"]}
    with pytest.raises(SealError):
        open_sealed(sealed, bewaar_header(bewaar_id), private)
    # Nothing readable in the stored row, and no loket or category in clear.
    assert CANARY not in str(sealed)


def test_a_record_sealed_also_for_a_loket_is_refused(ready: TestClient) -> None:
    keys = melder_keys(new_meldcode())
    bewaar_id = str(uuid.uuid4())
    body = bewaar_body(record_for(), bewaar_id, keys)
    key = ready.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
    sealed = verzend_body(record_for(), bewaar_id, key, keys)["sealed"]  # loket + melder
    body["sealed"] = sealed
    response = signed_post(ready, "/api/v1/bewaarmeldingen", body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "niet_alleen_voor_melder"


def test_storing_needs_the_action_server_signature_and_the_melder_signature(
    ready: TestClient,
) -> None:
    keys = melder_keys(new_meldcode())
    body = bewaar_body(record_for(), str(uuid.uuid4()), keys)
    assert ready.post("/api/v1/bewaarmeldingen", json=body).status_code == 401
    other = melder_keys(new_meldcode())
    forged = {**body, "melder_sleutel": b64e(other.sleutel)}
    response = signed_post(ready, "/api/v1/bewaarmeldingen", forged)
    assert response.status_code == 422
    with database(ready).session() as session:
        assert session.scalars(select(Bewaarmelding)).first() is None


def test_a_wrong_key_or_unsigned_request_gets_the_unknown_meldcode_answer(
    ready: TestClient,
) -> None:
    store(ready)
    stranger = melder_keys(new_meldcode())
    response = melder(ready, stranger, "bewaard_openen")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "meldcode_onbekend"
    # A proof signed for another action is refused too.
    keys, _ = store(ready)
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    body = signed_request(keys, "bewaard_openen", challenge)
    assert ready.post(PATHS["bewaard_verwijderen"], json=body).status_code == 404
    assert melder(ready, keys, "bewaard_openen").status_code == 200


def test_the_status_of_a_bewaarmelding_code_says_it_was_only_stored(ready: TestClient) -> None:
    keys, _ = store(ready)
    response = melder_post(ready, keys, "status")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "bewaarmelding"


def test_adding_replaces_the_record_sealed_again_to_the_melder(ready: TestClient) -> None:
    keys, bewaar_id = store(ready)
    record = opened(ready, keys)
    record["aanvullingen"] = [{"op": "2026-12-01T09:00:00+00:00", "tekst": "Ook gisteren."}]
    response = melder(
        ready, keys, "bewaard_aanvullen", {"sealed": seal_record(record, bewaar_id, keys)}
    )
    assert response.status_code == 200, response.text
    assert opened(ready, keys)["aanvullingen"][0]["tekst"] == "Ook gisteren."
    # A replacement that a loket could open is refused, and the record stays as it was.
    key = ready.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
    leaky = verzend_body(record, bewaar_id, key, keys)["sealed"]
    assert melder(ready, keys, "bewaard_aanvullen", {"sealed": leaky}).status_code == 422
    assert opened(ready, keys)["aanvullingen"][0]["tekst"] == "Ook gisteren."


def test_delete_removes_it_for_good(ready: TestClient) -> None:
    keys, bewaar_id = store(ready)
    assert melder(ready, keys, "bewaard_verwijderen").status_code == 200
    assert melder(ready, keys, "bewaard_openen").status_code == 404
    with database(ready).session() as session:
        assert session.get(Bewaarmelding, bewaar_id) is None


def test_sending_makes_it_a_melding_with_the_original_time(ready: TestClient) -> None:
    headers = login(ready, "vp1")
    before = total_count(ready)
    keys, bewaar_id = store(ready)
    record = opened(ready, keys)
    record["aanvullingen"] = [{"op": "2026-12-01T09:00:00+00:00", "tekst": "Ook gisteren."}]
    assert (
        melder(ready, keys, "bewaard_aanvullen", {"sealed": seal_record(record, bewaar_id, keys)})
    ).status_code == 200
    original = utcnow() - timedelta(days=40)
    with database(ready).session() as session:
        session.execute(
            update(Bewaarmelding)
            .where(Bewaarmelding.id == bewaar_id)
            .values(vastgelegd_op=original)
        )
    response = send(ready, keys, bewaar_id)
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["id"] == bewaar_id and sent["loket"] == "vertrouwenspersoon"
    assert abs(datetime.fromisoformat(sent["vastgelegd_op"]) - original) < timedelta(seconds=1)
    assert datetime.fromisoformat(sent["ontvangen_op"]) > original + timedelta(days=39)
    # The loket sees it now, with the original time, and can read the addition.
    listed = [m for m in inbox(ready, headers) if m["id"] == bewaar_id]
    assert len(listed) == 1
    detail = ready.get(f"/api/v1/loket/meldingen/{bewaar_id}", headers=headers).json()
    assert abs(datetime.fromisoformat(detail["vastgelegd_op"]) - original) < timedelta(seconds=1)
    assert CANARY in detail["inhoud"]["beschrijving"]
    assert "Ook gisteren." in detail["inhoud"]["beschrijving"]
    assert total_count(ready) == before + 1
    # The same meldcode now follows the melding; the record is gone.
    status = melder_post(ready, keys, "status").json()
    assert status["melding_id"] == bewaar_id
    assert abs(datetime.fromisoformat(status["vastgelegd_op"]) - original) < timedelta(seconds=1)
    assert melder(ready, keys, "bewaard_openen").status_code == 404
    with database(ready).session() as session:
        assert session.get(Bewaarmelding, bewaar_id) is None
        acties = [r.actie for r in session.scalars(select(AuditRegel))]
    assert "bewaarmelding_verstuurd" in acties


def test_a_send_the_loket_could_not_open_changes_nothing(ready: TestClient) -> None:
    keys, bewaar_id = store(ready)
    record = opened(ready, keys)
    own = {"kid": keys.recipient.kid, "public_key": b64e(keys.public_key)}
    body = verzend_body(record, bewaar_id, own, keys)  # sealed for the melder only
    response = melder(ready, keys, "bewaard_versturen", body)
    assert response.status_code == 422
    assert opened(ready, keys)["beschrijving"] == record["beschrijving"]
    with database(ready).session() as session:
        assert session.get(Melding, bewaar_id) is None


def test_expired_bewaarmeldingen_are_gone_and_retention_deletes_them(
    ready: TestClient,
) -> None:
    keys, bewaar_id = store(ready)
    other_keys, other_id = store(ready)
    with database(ready).session() as session:
        session.execute(
            update(Bewaarmelding)
            .where(Bewaarmelding.id == bewaar_id)
            .values(verloopt_op=utcnow() - timedelta(minutes=1))
        )
    assert melder(ready, keys, "bewaard_openen").status_code == 404
    with database(ready).session() as session:
        report = run_retention(session, Settings(), utcnow())
    assert report.bewaard_verlopen == 1
    assert "verlopen bewaarmelding" in "\n".join(report.lines())
    with database(ready).session() as session:
        assert session.get(Bewaarmelding, bewaar_id) is None
        kept = session.get(Bewaarmelding, other_id)
        assert kept is not None and as_utc(kept.verloopt_op) > utcnow()
    assert melder(ready, other_keys, "bewaard_openen").status_code == 200
