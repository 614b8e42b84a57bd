"""Loket key pairs: generate, look up the active public key, unlock the private key."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.keys.protection import outdated, protect, unprotect
from backend.routing.routeboekje import Routeboekje
from backend.storage.models import LoketKey
from envelope.sealing import b64d, b64e, generate_keypair, key_id

LANDELIJK = "landelijk"


class NoDigitalLoket(LookupError):
    """This loket does not receive meldingen through the system."""


def key_scope(boek: Routeboekje, loket: str, eenheid: str) -> str:
    """The eenheid a loket key belongs to: the eenheid, or 'landelijk' for national lokets."""
    info = boek.loket(loket)
    if not info.ontvangt_digitaal:
        raise NoDigitalLoket(loket)
    return LANDELIJK if info.niveau == "landelijk" else eenheid


def active_key(session: Session, loket: str, scope: str) -> LoketKey | None:
    return session.scalars(
        select(LoketKey)
        .where(LoketKey.loket == loket, LoketKey.eenheid == scope, LoketKey.actief)
        .order_by(LoketKey.id.desc())
    ).first()


def generate_key(session: Session, loket: str, scope: str, passphrase: str) -> LoketKey:
    """Create a new active key pair for a loket; older keys stay for decryption."""
    return generate_key_pair(session, loket, scope, passphrase)[0]


def generate_key_pair(
    session: Session, loket: str, scope: str, passphrase: str
) -> tuple[LoketKey, bytes]:
    """Like generate_key, and also return the new private key (to grant it to users)."""
    private, public = generate_keypair()
    kid = key_id(public)
    for old in session.scalars(
        select(LoketKey).where(LoketKey.loket == loket, LoketKey.eenheid == scope)
    ):
        old.actief = False
    row = LoketKey(
        loket=loket,
        eenheid=scope,
        kid=kid,
        public_key=b64e(public),
        protected_private_key=protect(private, passphrase, kid),
        actief=True,
        aangemaakt_op=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row, private


def unlock(row: LoketKey, passphrase: str) -> bytes:
    """The private key; a key under older scrypt costs is re-protected under today's
    (saved when the caller's session commits)."""
    private = unprotect(row.protected_private_key, passphrase, row.kid)
    if outdated(row.protected_private_key):
        # A passphrase from before the length rule (protect refuses it) stays as it is.
        with contextlib.suppress(ValueError):
            row.protected_private_key = protect(private, passphrase, row.kid)
    return private


def public_key_bytes(row: LoketKey) -> bytes:
    return b64d(row.public_key)
