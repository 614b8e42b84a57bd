"""The durable outbox: nothing lost, delivered once, retried with backoff."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from actions.outbox import KEEP_SECONDS, Outbox, PermanentFailure

BODY = {"envelope": {"melding_id": "m-1"}, "sealed": {"ciphertext": "abc"}}


def test_put_twice_keeps_one_row_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    Outbox(path).put("m-1", BODY)
    Outbox(path).put("m-1", BODY)
    reopened = Outbox(path)  # as after an action-server restart
    assert reopened.pending() == 1
    assert reopened.due()[0][:2] == ("m-1", BODY)
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_delivered_rows_disappear(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("m-1", BODY)
    sent: list[str] = []

    async def deliver(body: dict[str, Any], key: str) -> dict[str, Any]:
        sent.append(key)
        return {"id": key}

    assert asyncio.run(outbox.flush(deliver)) == 1
    assert sent == ["m-1"] and outbox.pending() == 0


def test_transport_errors_back_off_exponentially(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("m-1", BODY)

    async def down(body: dict[str, Any], key: str) -> dict[str, Any]:
        raise ConnectionError("backend down")

    asyncio.run(outbox.flush(down))
    assert outbox.due() == []  # not due again immediately
    assert outbox.due(now=time.time() + 3)[0][2] == 1
    asyncio.run(outbox.flush(down))
    outbox.retry_later("m-1", 1)
    assert outbox.due(now=time.time() + 3) == []
    assert outbox.pending() == 1


def test_permanent_refusal_is_kept_aside_not_retried(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("m-1", BODY)

    async def refuse(body: dict[str, Any], key: str) -> dict[str, Any]:
        raise PermanentFailure("HTTP 422")

    asyncio.run(outbox.flush(refuse))
    assert outbox.pending() == 0 and outbox.due(now=time.time() + 999) == []


def test_undelivered_rows_are_deleted_after_seven_days(tmp_path: Path) -> None:
    """Pending or refused: a row never stays longer than KEEP_SECONDS (the melder is told)."""
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("refused", BODY)
    outbox.failed("refused", "HTTP 422")
    outbox.put("pending", BODY)
    assert outbox.expire(now=time.time() + KEEP_SECONDS - 60) == 0
    assert outbox.expire(now=time.time() + KEEP_SECONDS + 60) == 2
    assert outbox.pending() == 0
    with sqlite3.connect(tmp_path / "o.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    assert KEEP_SECONDS == 7 * 24 * 3600  # the number bot/texts.yml (klaar_om_te_versturen) says


def test_public_keys_are_cached_for_offline_sealing(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    assert outbox.cached_key("vik", "limburg") is None
    outbox.remember_key("vik", "limburg", {"kid": "k1", "public_key": "AAAA"})
    assert Outbox(tmp_path / "o.sqlite3").cached_key("vik", "limburg") == {
        "kid": "k1",
        "public_key": "AAAA",
    }


@pytest.mark.parametrize("status", [None, 500, 503, 429])
def test_transient_statuses_go_to_the_outbox(status: int | None) -> None:
    from actions.backend_client import BackendUnavailable
    from actions.submission import _transient

    assert _transient(BackendUnavailable("x", status))
    assert not _transient(BackendUnavailable("x", 422))


def test_401_and_403_wait_in_the_outbox_for_the_operator() -> None:
    """A signing key that is missing or not registered yet is fixed by the operator;
    the melding must not be given up meanwhile."""
    from actions.backend_client import BackendUnavailable
    from actions.submission import _transient

    assert _transient(BackendUnavailable("x", 401))
    assert _transient(BackendUnavailable("x", 403))


def test_delivery_is_signed_when_it_is_sent_not_when_it_was_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox keeps only the body; the signature (with its timestamp) is made at
    delivery, so a melding that waited an hour is not refused as stale."""
    from aiohttp import web

    from actions import backend_client
    from actions.submission import deliver_from_outbox
    from envelope import request_signing
    from envelope.request_signing import TIMESTAMP_HEADER, SigningKey, verify

    key = SigningKey.generate()
    key.save(tmp_path / "sleutel.txt")
    monkeypatch.setenv("MELDWIJZER_ACTIESERVER_SLEUTEL", str(tmp_path / "sleutel.txt"))
    backend_client.signing_key.cache_clear()
    seen: list[tuple[bool, int]] = []

    async def backend(request: web.Request) -> web.Response:
        body = await request.read()
        ok = verify(key.public_key, request.headers, request.method, request.path_qs, body)
        seen.append((ok, int(request.headers[TIMESTAMP_HEADER])))
        return web.json_response({"id": "m-1"}, status=201)

    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("m-1", BODY)  # queued "now"
    later = 4_000_000_000  # delivered much later
    monkeypatch.setattr(request_signing, "_now", lambda: later)

    async def run() -> int:
        app = web.Application()
        app.router.add_post("/api/v1/meldingen", backend)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        monkeypatch.setenv("MELDWIJZER_BACKEND_URL", f"http://127.0.0.1:{port}")
        try:
            return await outbox.flush(deliver_from_outbox)
        finally:
            await runner.cleanup()

    try:
        assert asyncio.run(run()) == 1
    finally:
        backend_client.signing_key.cache_clear()
    assert seen == [(True, later)]
    assert outbox.pending() == 0
