"""Bijlagen (issue #16): upload in sealed chunks, resume, quotas, attacks, download, canary."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.domain import bijlagen as domain
from backend.storage.clock import utcnow
from backend.storage.models import Bijlage, BijlageDeel
from envelope.bijlagen import CHUNK_CIPHERTEXT, CHUNK_SIZE, prepare_upload
from envelope.melder_auth import signed_request
from tests.backend.conftest import (
    Submitted,
    add_key,
    add_user,
    database,
    login,
    melder_post,
    submit,
)

CANARY = b"CANARY-BIJLAGE-7f3a-fietsenstalling"
BASE = "/api/v1/melder/bijlagen"
UPLOADS = "/api/v1/uploads"


def _melder(client: TestClient) -> tuple[Submitted, dict[str, Any]]:
    add_key(client)
    sub = submit(client)
    assert sub.keys is not None
    status = melder_post(client, sub.keys, "status").json()
    return sub, status


def _begin(client: TestClient, sub: Submitted, body: dict[str, Any]) -> Any:
    assert sub.keys is not None
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    return client.post(BASE, json=signed_request(sub.keys, "bijlage", challenge, body))


def _put(client: TestClient, bijlage_id: str, token: str, n: int, data: bytes) -> Any:
    return client.put(
        f"{UPLOADS}/{bijlage_id}/delen/{n}",
        content=data,
        headers={"X-Bijlage-Token": token, "Content-Type": "application/octet-stream"},
    )


def _finish(client: TestClient, bijlage_id: str, token: str, chunks: list[bytes]) -> Any:
    whole = b"".join(chunks)
    return client.post(
        f"{UPLOADS}/{bijlage_id}/afronden",
        json={"grootte": len(whole), "sha256": hashlib.sha256(whole).hexdigest()},
        headers={"X-Bijlage-Token": token},
    )


def upload(
    client: TestClient,
    sub: Submitted,
    status: dict[str, Any],
    data: bytes,
    naam: str = "schermafdruk.png",
    mime: str = "image/png",
) -> str:
    assert sub.keys is not None
    body, chunks = prepare_upload(
        status, sub.keys.recipient, naam, mime, data, verwijderd=["tekstvelden (tEXt)"]
    )
    started = _begin(client, sub, body)
    assert started.status_code == 201, started.text
    token = started.json()["token"]
    for n, chunk in enumerate(chunks):
        assert _put(client, body["bijlage_id"], token, n, chunk).status_code == 200
    assert _finish(client, body["bijlage_id"], token, chunks).status_code == 200
    return str(body["bijlage_id"])


def test_the_loket_downloads_what_the_melder_sealed_as_an_attachment(client: TestClient) -> None:
    sub, status = _melder(client)
    data = (CANARY + bytes(range(256))) * (CHUNK_SIZE * 2 // 256)  # three chunks
    assert sub.keys is not None
    body, chunks = prepare_upload(
        status,
        sub.keys.recipient,
        "foto's van 'de kantine'.png",
        "image/png",
        data,
        verwijderd=["tijd (tIME)"],
    )
    assert len(chunks) == 3
    token = _begin(client, sub, body).json()["token"]
    bid = body["bijlage_id"]
    # Out of order, one chunk twice (a retry after a lost answer): fine.
    assert _put(client, bid, token, 2, chunks[2]).status_code == 200
    assert _put(client, bid, token, 0, chunks[0]).status_code == 200
    again = _put(client, bid, token, 0, chunks[0])
    assert again.status_code == 200 and again.json()["ontvangen"] == [0, 2]
    # Resuming: the melder's side asks what arrived and sends only the rest.
    stand = client.get(f"{UPLOADS}/{bid}", headers={"X-Bijlage-Token": token}).json()
    assert stand["ontvangen"] == [0, 2] and stand["status"] == "upload"

    add_user(client, "anna")
    auth = login(client, "anna")
    lijst = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen", headers=auth)
    assert lijst.json()["bijlagen"] == []  # unfinished uploads are not part of the melding

    assert _put(client, bid, token, 1, chunks[1]).status_code == 200
    done = _finish(client, bid, token, chunks)
    assert done.status_code == 200 and done.json()["status"] == "compleet"

    lijst = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen", headers=auth).json()
    (item,) = lijst["bijlagen"]
    assert item["naam"] == "foto's van 'de kantine'.png"
    assert item["grootte"] == len(data)
    assert item["verwijderd"] == ["tijd (tIME)"]
    assert item["waarschuwing"] is None

    response = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen/{bid}", headers=auth)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    # The token is gone with the upload: the finished bijlage cannot be changed or deleted.
    assert _put(client, bid, token, 1, chunks[1]).status_code == 404
    assert client.delete(f"{UPLOADS}/{bid}", headers={"X-Bijlage-Token": token}).status_code == 404


def test_other_loket_and_unknown_bijlage_get_404(client: TestClient) -> None:
    sub, status = _melder(client)
    bid = upload(client, sub, status, b"hallo")
    add_key(client, "vertrouwenspersoon", "amsterdam")
    add_user(client, "bert", scope="amsterdam")
    other = login(client, "bert")
    path = f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen"
    assert client.get(path, headers=other).status_code == 404
    assert client.get(f"{path}/{bid}", headers=other).status_code == 404
    add_user(client, "anna")
    own = login(client, "anna")
    assert client.get(f"{path}/{'0' * 8}-0000-0000-0000-{'0' * 12}", headers=own).status_code == 404


def test_executable_and_macro_files_carry_a_warning(client: TestClient) -> None:
    sub, status = _melder(client)
    upload(client, sub, status, b"MZ\x90\x00", naam="rooster.exe", mime="application/x-msdownload")
    upload(
        client,
        sub,
        status,
        b"PK\x03\x04",
        naam="lijst.xlsm",
        mime="application/vnd.ms-excel.sheet.macroEnabled.12",
    )
    upload(client, sub, status, b"%PDF-1.7", naam="brief.pdf", mime="application/pdf")
    add_user(client, "anna")
    lijst = client.get(
        f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen", headers=login(client, "anna")
    ).json()["bijlagen"]
    warned = {b["naam"]: b["waarschuwing"] is not None for b in lijst}
    assert warned == {"rooster.exe": True, "lijst.xlsm": True, "brief.pdf": False}


def test_oversized_mislabelled_and_malformed_uploads_are_refused(client: TestClient) -> None:
    sub, status = _melder(client)
    assert sub.keys is not None
    body, chunks = prepare_upload(status, sub.keys.recipient, "a.txt", "text/plain", b"x" * 100)
    # Oversized: declared over the 20 MB limit.
    big = {**body, "grootte": 41 * CHUNK_CIPHERTEXT + 20, "delen": 42}
    assert _begin(client, sub, big).status_code == 413
    # Size and number of chunks that do not fit together.
    assert _begin(client, sub, {**body, "delen": 2}).status_code == 422
    # A manifest not sealed to the loket (only to the melder): refused.
    only_melder = {**body["manifest"], "recipients": body["manifest"]["recipients"][1:]}
    refused = _begin(client, sub, {**body, "manifest": only_melder})
    assert refused.status_code == 422 and refused.json()["error"]["nl"]
    # A label that does not fit the content cannot be checked by the backend (it sees
    # ciphertext only); what it checks is every size and hash.
    token = _begin(client, sub, body).json()["token"]
    bid = body["bijlage_id"]
    assert _put(client, bid, token, 0, chunks[0][:-1]).status_code == 422  # wrong size
    assert _put(client, bid, token, 1, chunks[0]).status_code == 422  # no such chunk
    assert _put(client, bid, "x" * 43, 0, chunks[0]).status_code == 404  # wrong token
    assert _finish(client, bid, token, chunks).status_code == 409  # nothing arrived yet
    assert _put(client, bid, token, 0, chunks[0]).status_code == 200
    tampered = bytes([chunks[0][0] ^ 1]) + chunks[0][1:]
    assert _put(client, bid, token, 0, tampered).status_code == 409  # other bytes
    wrong = client.post(
        f"{UPLOADS}/{bid}/afronden",
        json={"grootte": len(chunks[0]), "sha256": "0" * 64},
        headers={"X-Bijlage-Token": token},
    )
    assert wrong.status_code == 409
    # A request body over the limit never reaches the route.
    huge = _put(client, bid, token, 0, b"\0" * (1024 * 1024 + 1))
    assert huge.status_code == 413
    # Older meldcodes cannot add bijlagen (the backend would see the code).
    legacy = client.post(BASE, json={**body, "meldcode": "7KQ4-M2XD-9RTA-HB3C"})
    assert legacy.status_code == 422


def test_quota_of_files_per_melding_and_open_uploads(client: TestClient) -> None:
    sub, status = _melder(client)
    assert sub.keys is not None
    open_bodies = []
    for _ in range(domain.MAX_OPEN_UPLOADS):
        body, _chunks = prepare_upload(status, sub.keys.recipient, "a.txt", "text/plain", b"a")
        assert _begin(client, sub, body).status_code == 201
        open_bodies.append(body)
    body, _chunks = prepare_upload(status, sub.keys.recipient, "a.txt", "text/plain", b"a")
    assert _begin(client, sub, body).status_code == 429
    with database(client).session() as session:  # the open ones expire
        for row in session.scalars(select(Bijlage)):
            row.verloopt_op = utcnow() - timedelta(seconds=1)
    for _ in range(domain.MAX_BESTANDEN):
        upload(client, sub, status, b"tekst")
    body, _chunks = prepare_upload(status, sub.keys.recipient, "b.txt", "text/plain", b"b")
    full = _begin(client, sub, body)
    assert full.status_code == 409
    assert "10 bijlagen" in full.json()["error"]["nl"]
    with database(client).session() as session:
        rows = list(session.scalars(select(Bijlage)))
        assert len(rows) == domain.MAX_BESTANDEN
        assert {r.status for r in rows} == {"compleet"}


def test_a_discarded_or_expired_upload_leaves_nothing(client: TestClient) -> None:
    sub, status = _melder(client)
    assert sub.keys is not None
    body, chunks = prepare_upload(status, sub.keys.recipient, "a.txt", "text/plain", b"a" * 10)
    token = _begin(client, sub, body).json()["token"]
    assert _put(client, body["bijlage_id"], token, 0, chunks[0]).status_code == 200
    headers = {"X-Bijlage-Token": token}
    assert client.delete(f"{UPLOADS}/{body['bijlage_id']}", headers=headers).status_code == 204
    assert client.get(f"{UPLOADS}/{body['bijlage_id']}", headers=headers).status_code == 404

    body, chunks = prepare_upload(status, sub.keys.recipient, "b.txt", "text/plain", b"b" * 10)
    token = _begin(client, sub, body).json()["token"]
    assert _put(client, body["bijlage_id"], token, 0, chunks[0]).status_code == 200
    with database(client).session() as session:
        assert domain.cleanup(session, utcnow() + domain.UPLOAD_GELDIG) == 1
    with database(client).session() as session:
        assert session.scalars(select(Bijlage)).first() is None
        assert session.scalars(select(BijlageDeel)).first() is None


def test_forwarded_melding_keeps_its_bijlagen_readable(client: TestClient) -> None:
    add_key(client)
    add_key(client, "vik", "rotterdam")
    sub = submit(client, toestemming=True)
    assert sub.keys is not None
    status = melder_post(client, sub.keys, "status").json()
    bid = upload(client, sub, status, CANARY)
    add_user(client, "coco", rol="coordinator")
    auth = login(client, "coco")
    forwarded = client.post(
        f"/api/v1/loket/meldingen/{sub.melding_id}/doorsturen",
        json={"loket": "vik", "identiteit_meesturen": False},
        headers=auth,
    )
    assert forwarded.status_code == 200, forwarded.text
    add_user(client, "ivo", loket="vik")
    other = login(client, "ivo")
    got = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen/{bid}", headers=other)
    assert got.status_code == 200 and got.content == CANARY


def test_canary_bytes_never_stored_or_logged_in_clear(
    client: TestClient, database_url: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    sub, status = _melder(client)
    bid = upload(client, sub, status, CANARY * 50, naam="CANARY-naam.txt", mime="text/plain")
    add_user(client, "anna")
    got = client.get(
        f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen/{bid}", headers=login(client, "anna")
    )
    assert got.content == CANARY * 50
    assert CANARY not in caplog.text.encode() and b"CANARY-naam" not in caplog.text.encode()
    if database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1])
        dump = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert dump and CANARY not in dump and b"CANARY-naam" not in dump
    with database(client).session() as session:
        raw = session.connection().exec_driver_sql("SELECT inhoud FROM bijlage_delen").all()
        assert all(CANARY not in bytes(r[0]) and bytes(r[0]).startswith(b"mwb1") for r in raw)
        manifests = session.connection().exec_driver_sql("SELECT manifest FROM bijlagen").all()
        assert all("CANARY" not in str(r[0]) for r in manifests)


def test_retention_shreds_and_deletes_bijlagen(client: TestClient) -> None:
    from backend.domain.retention import run_retention

    sub, status = _melder(client)
    upload(client, sub, status, b"weg ermee")
    with database(client).session() as session:
        from backend.storage.models import Melding

        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.status = "ingetrokken"
        m.ingetrokken_op = utcnow() - timedelta(days=4000)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    with database(client).session() as session:
        report = run_retention(session, settings, utcnow())
        assert report.count == 1
    with database(client).session() as session:
        assert session.scalars(select(Bijlage)).first() is None
        assert session.scalars(select(BijlageDeel)).first() is None


def test_manifest_and_chunks_fit_only_their_own_file() -> None:
    from envelope.bijlagen import decrypt_content, encrypt_content, new_manifest
    from envelope.sealing import SealError

    data = b"x" * (CHUNK_SIZE + 10)
    manifest = new_manifest("a.bin", "application/octet-stream", len(data))
    chunks = encrypt_content(manifest, "id-1", data)
    assert b"".join(decrypt_content(manifest, "id-1", chunks)) == data
    for broken in (chunks[::-1], chunks[:1], [*chunks, chunks[1]]):
        with pytest.raises(SealError):
            b"".join(decrypt_content(manifest, "id-1", broken))
    with pytest.raises(SealError):
        b"".join(decrypt_content(manifest, "id-2", chunks))


def test_the_melder_lists_own_bijlagen_sealed_and_opens_them(client: TestClient) -> None:
    from envelope.bijlagen import open_manifest

    sub, status = _melder(client)
    assert sub.keys is not None
    assert melder_post_bijlagen(client, sub).json()["bijlagen"] == []
    bid = upload(client, sub, status, b"inhoud", naam="chat.png")
    body, _chunks = prepare_upload(status, sub.keys.recipient, "half.txt", "text/plain", b"h")
    assert _begin(client, sub, body).status_code == 201  # unfinished: not listed
    answer = melder_post_bijlagen(client, sub).json()
    (item,) = answer["bijlagen"]
    assert item["id"] == bid and "naam" not in json.dumps(item)  # sealed for the backend
    manifest = open_manifest(item["manifest"], answer["kop"], bid, sub.keys.private_key)
    assert manifest.naam == "chat.png"


def melder_post_bijlagen(client: TestClient, sub: Submitted) -> Any:
    assert sub.keys is not None
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    return client.post(f"{BASE}/lijst", json=signed_request(sub.keys, "bijlagen", challenge))


def test_bijlagen_stay_readable_after_rotation_and_retiring_the_old_key(
    client: TestClient,
) -> None:
    from backend.keys.retire import retire_key
    from backend.keys.rotation import rotate
    from tests.backend.conftest import PASSPHRASE

    sub, status = _melder(client)
    bid = upload(client, sub, status, CANARY)
    add_user(client, "anna")
    with database(client).session() as session:
        old = rotate(session, "vertrouwenspersoon", "rotterdam", PASSPHRASE).old_kid
    with database(client).session() as session:
        report = retire_key(session, "vertrouwenspersoon", "rotterdam", old, PASSPHRASE)
        assert report.rewrapped >= 2  # the content and the bijlage's manifest
    with database(client).session() as session:
        row = session.get(Bijlage, bid)
        assert row is not None and old not in {r["kid"] for r in row.manifest["recipients"]}
    got = client.get(
        f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen/{bid}", headers=login(client, "anna")
    )
    assert got.status_code == 200 and got.content == CANARY
