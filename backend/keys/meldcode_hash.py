"""Meldcodes are stored only as a slow, salted hash (scrypt)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.keys.kdf_gate import kdf_slot
from backend.storage.db import Database
from backend.storage.models import Instelling
from envelope.meldcode import normalize_meldcode

# The row name predates the word "meldcode"; existing installations keep their salt.
_SALT_NAME = "receipt_salt"
# ~30-50 ms per hash on this machine: cheap for one melder, ruinous for guessing.
_N, _R, _P = 2**14, 8, 1


def meldcode_salt(session: Session) -> bytes:
    """The installation's meldcode salt, created on first use."""
    row = session.get(Instelling, _SALT_NAME)
    if row is None:
        row = Instelling(naam=_SALT_NAME, waarde=secrets.token_hex(16))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.waarde)


def ensure_meldcode_salt(database: Database) -> None:
    """Create the salt at start-up. Several backend workers may start at the same moment
    on an empty database: the one whose insert loses the race reads the winner's salt."""
    for attempt in range(2):
        try:
            with database.session() as session:
                meldcode_salt(session)
            return
        except IntegrityError:
            if attempt:  # a second clash is no race but a real fault
                raise


def hash_meldcode(meldcode: str, salt: bytes) -> str:
    code = normalize_meldcode(meldcode)
    with kdf_slot():
        digest = hashlib.scrypt(
            code.encode("ascii"), salt=salt, n=_N, r=_R, p=_P, maxmem=2**26, dklen=32
        )
    return "scrypt$" + digest.hex()
