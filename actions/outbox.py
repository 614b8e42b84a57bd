"""A durable local outbox for sealed meldingen the backend could not take yet.

Only already-sealed submissions are stored: the content is ciphertext, and the
melder is represented only by public keys and a signature (actions/melding.py) —
never the meldcode or anything that derives the melder's key. Each row is keyed
by its idempotency key, so delivering it twice stores it once at the backend. A
worker retries with exponential backoff; rows are deleted as soon as the backend
confirms. A row not delivered within ``KEEP_SECONDS`` (7 days) — still failing,
or refused by the backend for good — is deleted; the melder is told so when the
melding goes into the outbox (``klaar_om_te_versturen``). The file also caches
loket public keys, so a melding can be sealed while the backend is briefly
unreachable.

Stored in a SQLite file (``MELDWIJZER_OUTBOX``, default ``var/outbox.sqlite3``),
created with owner-only permissions.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger("meldwijzer.outbox")

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "var" / "outbox.sqlite3"
FIRST_DELAY = 2.0
MAX_DELAY = 300.0
# Undelivered rows (pending or refused) are deleted this long after they were written.
KEEP_SECONDS = 7 * 24 * 3600.0

Deliver = Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]


class PermanentFailure(RuntimeError):
    """The backend refused the submission for good (a 4xx other than 408/429)."""


def outbox_path() -> Path:
    return Path(os.environ.get("MELDWIJZER_OUTBOX", str(DEFAULT_PATH)))


@functools.lru_cache(maxsize=1)
def default_outbox() -> Outbox:
    """The action server's outbox, opened (and its tables created) once."""
    return Outbox()


class Outbox:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or outbox_path()
        # What this process last wrote per loket, so an unchanged key costs no write.
        self._remembered: dict[tuple[str, str], str] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self.path.touch(mode=0o600)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # kept in the file: set once
            db.execute(
                "CREATE TABLE IF NOT EXISTS outbox (idempotency_key TEXT PRIMARY KEY,"
                " body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
                " next_try REAL NOT NULL, created REAL NOT NULL, failed TEXT)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS loket_keys (loket TEXT, eenheid TEXT,"
                " key TEXT NOT NULL, fetched REAL NOT NULL, PRIMARY KEY (loket, eenheid))"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """An autocommit connection, closed afterwards (sqlite3's own ``with`` does not)."""
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA secure_delete=ON")  # a per-connection setting
            yield db
        finally:
            db.close()

    def put(self, idempotency_key: str, body: dict[str, Any]) -> None:
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO outbox (idempotency_key, body, next_try, created)"
                " VALUES (?, ?, ?, ?)",
                (idempotency_key, json.dumps(body), now, now),
            )

    def pending(self) -> int:
        with self._connect() as db:
            row = db.execute("SELECT COUNT(*) FROM outbox WHERE failed IS NULL").fetchone()
        return int(row[0])

    def due(self, now: float | None = None) -> list[tuple[str, dict[str, Any], int]]:
        now = time.time() if now is None else now
        with self._connect() as db:
            rows = db.execute(
                "SELECT idempotency_key, body, attempts FROM outbox"
                " WHERE failed IS NULL AND next_try <= ? ORDER BY created",
                (now,),
            ).fetchall()
        return [(key, json.loads(body), attempts) for key, body, attempts in rows]

    def delivered(self, idempotency_key: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM outbox WHERE idempotency_key = ?", (idempotency_key,))

    def retry_later(self, idempotency_key: str, attempts: int) -> None:
        delay = min(MAX_DELAY, FIRST_DELAY * 2**attempts)
        with self._connect() as db:
            db.execute(
                "UPDATE outbox SET attempts = ?, next_try = ? WHERE idempotency_key = ?",
                (attempts + 1, time.time() + delay, idempotency_key),
            )

    def failed(self, idempotency_key: str, reason: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE outbox SET failed = ? WHERE idempotency_key = ?",
                (reason[:200], idempotency_key),
            )

    def expire(self, now: float | None = None) -> int:
        """Delete every row older than KEEP_SECONDS; returns how many."""
        now = time.time() if now is None else now
        with self._connect() as db:
            cursor = db.execute("DELETE FROM outbox WHERE created < ?", (now - KEEP_SECONDS,))
        return int(cursor.rowcount)

    def remember_key(self, loket: str, eenheid: str, key: dict[str, Any]) -> None:
        """Keep the loket's public key for sealing while the backend is away.

        Written only when it changed since this process last wrote it: the disk
        write (with fsync) is then not paid on every melding.
        """
        serialized = json.dumps(key, sort_keys=True)
        if self._remembered.get((loket, eenheid)) == serialized:
            return
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO loket_keys VALUES (?, ?, ?, ?)",
                (loket, eenheid, serialized, time.time()),
            )
        self._remembered[(loket, eenheid)] = serialized

    def cached_key(self, loket: str, eenheid: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT key FROM loket_keys WHERE loket = ? AND eenheid = ?", (loket, eenheid)
            ).fetchone()
        return json.loads(row[0]) if row else None

    async def flush(self, deliver: Deliver) -> int:
        """Drop expired rows, then try every due row once; returns how many were delivered."""
        if expired := self.expire():
            log.warning("outbox: %d undelivered melding(en) older than 7 days deleted", expired)
        done = 0
        for key, body, attempts in self.due():
            try:
                await deliver(body, key)
            except PermanentFailure as exc:
                log.error("outbox: melding %s refused by the backend: %s", key, exc)
                self.failed(key, str(exc))
            except Exception as exc:  # noqa: BLE001 - any transport problem: try again later
                log.warning("outbox: melding %s not delivered yet (%s)", key, type(exc).__name__)
                self.retry_later(key, attempts)
            else:
                self.delivered(key)
                done += 1
                log.info("outbox: melding %s delivered", key)
        return done


async def run_worker(outbox: Outbox, deliver: Deliver, interval: float) -> None:
    """Deliver due meldingen forever (started with the action server)."""
    while True:
        try:
            await outbox.flush(deliver)
        except Exception:  # noqa: BLE001 - the worker must never die
            log.exception("outbox worker error")
        await asyncio.sleep(interval)
