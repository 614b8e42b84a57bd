"""Meldcodes are stored only as a slow, salted hash (scrypt)."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from backend.keys.installation_secrets import ensure_installation_secret, installation_secret
from backend.keys.kdf_gate import kdf_slot
from backend.storage.db import Database
from envelope.meldcode import normalize_meldcode

# The row name predates the word "meldcode"; existing installations keep their salt.
_SALT_NAME = "receipt_salt"
# ~30-50 ms per hash on this machine: cheap for one melder, ruinous for guessing.
_N, _R, _P = 2**14, 8, 1


def meldcode_salt(session: Session) -> bytes:
    """The installation's meldcode salt, created on first use."""
    return installation_secret(session, _SALT_NAME, 16)


def ensure_meldcode_salt(database: Database) -> None:
    """Create the salt at start-up (race-safe across workers starting together)."""
    ensure_installation_secret(database, _SALT_NAME, 16)


def hash_meldcode(meldcode: str, salt: bytes) -> str:
    code = normalize_meldcode(meldcode)
    with kdf_slot():
        digest = hashlib.scrypt(
            code.encode("ascii"), salt=salt, n=_N, r=_R, p=_P, maxmem=2**26, dklen=32
        )
    return "scrypt$" + digest.hex()
