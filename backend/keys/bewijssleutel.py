"""The backend's signing key for ontvangstbewijzen (receipts): the *bewijssleutel*.

An Ed25519 key pair, made at the first start (``ensure_bewijssleutel``) and by
``meldwijzer-admin bewijs roteer``. Its public half is published with a key id
(``GET /api/v1/bewijs/sleutels``, the verify page) and is never deleted: a receipt
signed years ago still verifies after any number of rotations. The private half is
stored in the database only wrapped (AES-256-GCM) under a key file in the
sleutelkluis (``bewijssleutel.omhulling``, next to the monthly storage keys and, like
them, not part of any database backup): a copy of the database alone cannot forge a
receipt. When that file is missing or does not open the stored key (a restore on a
new machine), the backend retires the old key and makes a new one; old receipts stay
valid because their public key stays. A rotation removes the retired private key.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.keys.bewaarsleutels import kluis
from backend.keys.key_files import write_once
from backend.storage.clock import as_utc, utcnow
from backend.storage.db import Database
from backend.storage.models import Bewijssleutel
from envelope.sealing import SealError, b64d, b64e, key_id

WRAP_FILE = "bewijssleutel.omhulling"  # not *.key: those are the monthly keys
_AAD = b"meldwijzer/bewijssleutel/"

log = logging.getLogger(__name__)


def _wrapping_key(directory: Path | None = None) -> bytes:
    """The key that wraps the private halves; made once (mode 0600, never overwritten)."""
    path = (directory or kluis().path) / WRAP_FILE
    write_once(path, b64e(AESGCM.generate_key(bit_length=256)))
    return b64d(path.read_text(encoding="ascii").strip())


def _wrap(private: Ed25519PrivateKey, kid: str) -> dict[str, str]:
    nonce = os.urandom(12)
    ct = AESGCM(_wrapping_key()).encrypt(nonce, private.private_bytes_raw(), _AAD + kid.encode())
    return {"nonce": b64e(nonce), "ciphertext": b64e(ct)}


def _unwrap(row: Bewijssleutel) -> Ed25519PrivateKey | None:
    wrapped = row.omhulde_private_key
    if not wrapped:
        return None
    try:
        raw = AESGCM(_wrapping_key()).decrypt(
            b64d(wrapped["nonce"]), b64d(wrapped["ciphertext"]), _AAD + row.kid.encode()
        )
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (InvalidTag, SealError, KeyError, ValueError, OSError):
        return None


def public_key_text(key: Ed25519PublicKey) -> str:
    return b64e(key.public_bytes_raw())


def new_key(session: Session) -> Bewijssleutel:
    """Make a key pair, make it the only active one, and drop every retired private half."""
    for old in session.scalars(select(Bewijssleutel).where(Bewijssleutel.actief.is_(True))):
        old.actief = False
        old.omhulde_private_key = None
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    kid = key_id(public)
    row = Bewijssleutel(
        kid=kid,
        public_key=b64e(public),
        omhulde_private_key=_wrap(private, kid),
        actief=True,
        aangemaakt_op=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def _active(session: Session) -> Bewijssleutel | None:
    return session.scalars(
        select(Bewijssleutel)
        .where(Bewijssleutel.actief.is_(True))
        .order_by(Bewijssleutel.aangemaakt_op.desc(), Bewijssleutel.kid)
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Ondertekenaar:
    kid: str
    private: Ed25519PrivateKey


def signing_key(session: Session) -> Ondertekenaar:
    """The active key (made if there is none, replaced if its private half cannot be opened)."""
    row = _active(session)
    private = _unwrap(row) if row is not None else None
    if row is None or private is None:
        if row is not None:
            log.warning("bewijssleutel %s cannot be opened here; a new key replaces it", row.kid)
        row = new_key(session)
        private = _unwrap(row)
        if private is None:  # pragma: no cover - the file was just written
            raise RuntimeError("the new bewijssleutel cannot be opened")
    return Ondertekenaar(row.kid, private)


def ensure_bewijssleutel(database: Database) -> str:
    """At start: the active key's id (made on the first start)."""
    with database.session() as session:
        return signing_key(session).kid


def public_keys(session: Session) -> dict[str, Bewijssleutel]:
    """Every key ever used, active or retired, by key id."""
    return {row.kid: row for row in session.scalars(select(Bewijssleutel))}


def public_key(row: Bewijssleutel) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64d(row.public_key))


def aangemaakt(row: Bewijssleutel) -> datetime:
    return as_utc(row.aangemaakt_op)
