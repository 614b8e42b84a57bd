"""At most one deliberately slow key derivation per CPU core at a time.

The backend computes scrypt only on the old path of 16-character meldcodes (their
hash and the melder's key, at submission from an older outbox row and at every
lookup); current meldcodes are derived on the melder's side. Dozens of them at once
would share the cores evenly, so every one of them - and every quick request next
to them, like fetching a public key - would slow down together. Gated, they run
one per core in turn and the quick requests keep their pace; the total work is
the same.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_GATE = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


@contextmanager
def kdf_slot() -> Iterator[None]:
    """Hold one of the per-core slots for the duration of a slow derivation."""
    with _GATE:
        yield
