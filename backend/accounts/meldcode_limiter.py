"""The guessing limit on meldcode lookups: keyed on nothing the client chooses,
and unable to lock out every melder at once.

Three budgets of failing lookups per window (docs/security.md, threat 4):

- **per source**. A source is either a signed action server (its key id, proven by
  the request signature) or a network address (the browser of the follow-up page,
  or any other caller; an HMAC of the address, never the address itself). An
  address over its budget gets ``429`` for every lookup, also with the right code,
  so a blocked address gets no oracle; only that address is affected. An action
  server carries every chat melder, so it is never refused: over its budget its
  failing lookups are *slowed down* (below).
- **per meldcode presented** (an HMAC of the normalised code). The same code tried
  again and again is refused on its own. When the meldcode gets a lookup part and a
  secret part, this becomes the per-melding budget by keying it on the lookup part.
- **in total**. Over the total budget nobody is refused: failing answers are
  *serialised and slowed* (one at a time per process, each after
  ``degraded_delay``), while a lookup with a right code is answered at once.

So an attacker with many identities gets at most one wrong answer per
``degraded_delay`` seconds per process, and a melder with the right code is never
locked out by somebody else. Tables are in memory only (lost on restart), keyed by
HMACs under a per-process random key, never logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

MAX_KEYS = 100_000


@dataclass(frozen=True)
class Source:
    """Where a lookup comes from: a signed action server, or an address (as an HMAC)."""

    key: str
    signed: bool


class MeldcodeLimiter:
    def __init__(
        self,
        per_address: int = 5,
        per_code: int = 5,
        per_action_server: int = 200,
        total: int = 1000,
        window_seconds: float = 15 * 60,
        degraded_delay: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_address = per_address
        self.per_code = per_code
        self.per_action_server = per_action_server
        self.total = total
        self.window = window_seconds
        self.degraded_delay = degraded_delay
        self.clock = clock
        self._key = secrets.token_bytes(32)
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._all: deque[float] = deque()
        self._lock = Lock()
        self._slow_lane: asyncio.Lock | None = None

    def _hmac(self, value: str) -> str:
        return hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def address(self, host: str) -> Source:
        return Source("adres:" + self._hmac(host), signed=False)

    def action_server(self, kid: str) -> Source:
        return Source("actieserver:" + kid, signed=True)

    def code(self, meldcode: str) -> str:
        return "code:" + self._hmac(meldcode)

    def _prune(self, stamps: deque[float], now: float) -> None:
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()

    def _count(self, key: str, now: float) -> deque[float]:
        stamps = self._failures.get(key)
        if stamps is None:
            return deque()
        self._prune(stamps, now)
        return stamps

    def _wait(self, stamps: deque[float], now: float) -> int:
        return max(1, int(stamps[0] + self.window - now) + 1)

    def retry_after(self, source: Source, code: str) -> int | None:
        """Seconds to wait when this address or this code used up its budget, else None."""
        now = self.clock()
        with self._lock:
            code_stamps = self._count(code, now)
            if len(code_stamps) >= self.per_code:
                return self._wait(code_stamps, now)
            if not source.signed:
                stamps = self._count(source.key, now)
                if len(stamps) >= self.per_address:
                    return self._wait(stamps, now)
        return None

    def degraded(self, source: Source) -> bool:
        """Whether failing answers for this source are serialised and slowed now."""
        now = self.clock()
        with self._lock:
            self._prune(self._all, now)
            if len(self._all) >= self.total:
                return True
            return source.signed and len(self._count(source.key, now)) >= self.per_action_server

    def failure(self, source: Source, code: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (source.key, code):
                stamps = self._failures.setdefault(key, deque())
                self._failures.move_to_end(key)
                stamps.append(now)
            self._all.append(now)
            while len(self._failures) > MAX_KEYS:
                self._failures.popitem(last=False)

    async def slow_down(self, source: Source, normal_delay: float) -> None:
        """Wait before a failing answer: the normal delay, or in turn and longer when degraded."""
        if not self.degraded(source):
            await asyncio.sleep(normal_delay)
            return
        if self._slow_lane is None:
            self._slow_lane = asyncio.Lock()
        async with self._slow_lane:
            await asyncio.sleep(max(normal_delay, self.degraded_delay))
