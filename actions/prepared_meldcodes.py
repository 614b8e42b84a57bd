"""Meldcode and melder key, prepared while the melder reads the summary.

Sealing a melding needs the melder's own keys, derived from the meldcode with a
deliberately slow scrypt (tens of milliseconds). When the summary is shown we
already know the melding id, so we draw the meldcode then and derive the keys in
a worker thread while the melder reads; "versturen" then only has to seal.

Held in this process's memory only (never in the tracker, never on disk), for a
bounded number of conversations, and dropped once used. A miss (another
action-server process, a restart, an evicted entry) is harmless: the sender
derives the keys itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

from envelope.meldcode import new_meldcode
from envelope.melder_key import MelderKeys, melder_keys

_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="melder-key")


class PreparedMeldcodes:
    """melding id -> (meldcode, future melder keys), oldest evicted first."""

    def __init__(self, capacity: int = 1000) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, tuple[str, Future[MelderKeys]]] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, melding_id: str) -> None:
        """Draw a meldcode for this melding and start deriving its keys (once)."""
        with self._lock:
            if melding_id in self._items:
                return
            meldcode = new_meldcode()
            self._items[melding_id] = (
                meldcode,
                _EXECUTOR.submit(melder_keys, meldcode),
            )
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def meldcode(self, melding_id: str) -> str | None:
        with self._lock:
            item = self._items.get(melding_id)
        return item[0] if item else None

    async def melder_keys(self, meldcode: str, melding_id: str) -> MelderKeys:
        """The melder's keys for this code: prepared if we have them, else derived now."""
        with self._lock:
            item = self._items.pop(melding_id, None)
        if item is not None and item[0] == meldcode:
            return await asyncio.wrap_future(item[1])
        return await asyncio.to_thread(melder_keys, meldcode)


_PREPARED = PreparedMeldcodes()


def prepared_meldcodes() -> PreparedMeldcodes:
    return _PREPARED
