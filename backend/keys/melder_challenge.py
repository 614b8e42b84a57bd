"""Single-use challenges the melder signs (current meldcodes).

A challenge is ``<expiry>.<random>.<HMAC>``: stateless to check (HMAC-SHA256 under
an installation key kept in ``instellingen``, so every backend worker accepts what
another issued) and valid for five minutes. A redeemed challenge is remembered in
this process until it expires, so a signed request cannot be replayed here.
(With several workers a replay could reach another worker within those minutes; it
would repeat the same action of the same melder, nothing more.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from backend.keys.installation_secrets import ensure_installation_secret
from backend.storage.db import Database

_KEY_NAME = "melder_uitdaging_sleutel"
GELDIG_SECONDEN = 300


def challenge_key(database: Database) -> bytes:
    """The installation's challenge key, created on first use (race-safe across workers)."""
    return ensure_installation_secret(database, _KEY_NAME, 32)


class Challenges:
    def __init__(self, key: bytes, seconds: int = GELDIG_SECONDEN) -> None:
        self._key = key
        self._seconds = seconds
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self, now: float | None = None) -> tuple[str, int]:
        """A fresh challenge and its expiry (unix seconds)."""
        expiry = int((time.time() if now is None else now) + self._seconds)
        text = f"{expiry}.{secrets.token_urlsafe(18)}"
        return f"{text}.{self._mac(text)}", expiry

    def redeem(self, challenge: str, now: float | None = None) -> bool:
        """True once for a genuine, unexpired challenge; False otherwise."""
        now = time.time() if now is None else now
        parts = challenge.split(".")
        if len(parts) != 3 or not parts[0].isdigit():
            return False
        text = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(self._mac(text), parts[2]):
            return False
        expiry = int(parts[0])
        if expiry < now or expiry > now + self._seconds + 5:
            return False
        with self._lock:
            for used, until in list(self._used.items()):
                if until < now:
                    del self._used[used]
            if challenge in self._used:
                return False
            self._used[challenge] = expiry
        return True
