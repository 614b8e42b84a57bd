"""The storage-key layer (backend/keys/bewaarsleutels.py) for binary columns.

Bijlage chunks are already ciphertext (mwf1); they are stored encrypted once more
under the current month's storage key, so destroying old storage keys shreds every
backup copy of a file too. Layout of a stored value::

    b"mwb1" ‖ kid (7 ASCII bytes, "YYYY-MM") ‖ nonce (12) ‖ AES-256-GCM ciphertext

A value whose key is gone reads as ``b""`` (it can no longer be opened).
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary, func, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from backend.keys.bewaarsleutels import KID, kluis

MAGIC = b"mwb1"
_KID_BYTES = 7
_HEADER = len(MAGIC) + _KID_BYTES + 12


def _aad(kid: str) -> bytes:
    return f"meldwijzer/mwb1-bytes/{kid}".encode("ascii")


def wrap_bytes(value: bytes) -> bytes:
    kid, key = kluis().current()
    nonce = os.urandom(12)
    return MAGIC + kid.encode("ascii") + nonce + AESGCM(key).encrypt(nonce, value, _aad(kid))


def kid_of(stored: bytes) -> str | None:
    """The storage key id of a stored value (None: not under the layer)."""
    if not stored.startswith(MAGIC) or len(stored) < _HEADER:
        return None
    kid = stored[len(MAGIC) : len(MAGIC) + _KID_BYTES].decode("ascii", "replace")
    return kid if KID.match(kid) else None


def unwrap_bytes(stored: bytes) -> bytes:
    kid = kid_of(stored)
    if kid is None:
        return stored
    key = kluis().get(kid)
    if key is None:
        return b""
    start = len(MAGIC) + _KID_BYTES
    nonce, ct = stored[start : start + 12], stored[start + 12 :]
    try:
        return AESGCM(key).decrypt(nonce, ct, _aad(kid))
    except (InvalidTag, ValueError):
        return b""


class BewaardeBytes(TypeDecorator[bytes]):
    """A binary column whose value is stored under the current storage key."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return wrap_bytes(bytes(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return unwrap_bytes(bytes(value))


def stored_chunk_kids(session: Session) -> dict[tuple[str, str, str], str | None]:
    """("bijlage_delen", "<bijlage_id>/<volgnummer>", "inhoud") -> storage key id,
    read from the first bytes only (the chunks themselves are not loaded)."""
    from backend.storage.models import BijlageDeel

    head = func.substr(type_coerce(BijlageDeel.inhoud, LargeBinary), 1, _HEADER)
    found: dict[tuple[str, str, str], str | None] = {}
    for bijlage_id, volgnummer, raw in session.execute(
        select(BijlageDeel.bijlage_id, BijlageDeel.volgnummer, head)
    ):
        found[("bijlage_delen", f"{bijlage_id}/{volgnummer}", "inhoud")] = kid_of(bytes(raw))
    return found


def chunk_row(session: Session, row_id: str) -> Any:
    from backend.storage.models import BijlageDeel

    bijlage_id, _, volgnummer = row_id.rpartition("/")
    return session.get(BijlageDeel, (bijlage_id, int(volgnummer)))
