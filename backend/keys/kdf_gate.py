"""At most one deliberately slow key derivation per CPU core at a time.

The backend computes scrypt for every new melding (the meldcode hash and the
check of the melder's key) and for every meldcode lookup. Dozens of them at once
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
