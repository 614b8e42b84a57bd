"""In-memory limit on failing meldcode lookups (and failing logins).

Clients are told apart by a keyed hash of their network address (or of the
pseudonymous `X-Meldwijzer-Client` value a trusted proxy such as the action
server sends). The key is random per process and never stored, and neither
the address nor its hash is written to a log or the database; the table is
lost on restart by design.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from threading import Lock

MAX_CLIENTS = 100_000


class GuessLimiter:
    def __init__(
        self,
        per_client: int,
        total: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_client = per_client
        self.total = total
        self.window = window_seconds
        self.clock = clock
        self._key = secrets.token_bytes(32)
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._all: deque[float] = deque()
        self._lock = Lock()

    def client_key(self, identity: str) -> str:
        return hmac.new(self._key, identity.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def _prune(self, stamps: deque[float], now: float) -> None:
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()

    def retry_after(self, client: str) -> int | None:
        """Seconds to wait if this client (or everybody) used up the budget, else None."""
        now = self.clock()
        with self._lock:
            self._prune(self._all, now)
            stamps = self._failures.get(client)
            if stamps is not None:
                self._prune(stamps, now)
                if len(stamps) >= self.per_client:
                    return max(1, int(stamps[0] + self.window - now) + 1)
            if len(self._all) >= self.total:
                return max(1, int(self._all[0] + self.window - now) + 1)
        return None

    def failure(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            stamps = self._failures.setdefault(client, deque())
            self._failures.move_to_end(client)
            stamps.append(now)
            self._all.append(now)
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)
