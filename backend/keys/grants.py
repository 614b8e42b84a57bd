"""Grants: a loket private key sealed (wrapped) to one user's own public key.

Granting needs the loket key in clear, so only someone holding the loket passphrase
(an administrator or coordinator at the console) can add users or reset them; a
*new* loket key can be granted to existing users with only their public keys. At
login the user's grants are unwrapped with their private key (``unwrap_grants``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.keys.loket_keys import unlock
from backend.keys.protection import WrongSecret
from backend.storage.clock import utcnow
from backend.storage.models import Gebruiker, KeyGrant, LoketKey
from envelope.sealing import Recipient, b64d, open_sealed, seal


class NoKeyUnlocked(ValueError):
    """The passphrase opened none of the loket's keys."""


def grant_header(gebruiker: Gebruiker, loket_key: LoketKey) -> dict[str, str]:
    return {
        "deel": "sleutel",
        "loket_kid": loket_key.kid,
        "gebruiker_kid": gebruiker.kid,
        "gebruiker": gebruiker.naam,
    }


def grant(
    session: Session, gebruiker: Gebruiker, loket_key: LoketKey, private_key: bytes
) -> KeyGrant:
    """Wrap a loket private key for one user."""
    recipient = Recipient(kid=gebruiker.kid, public_key=b64d(gebruiker.public_key))
    row = KeyGrant(
        gebruiker_id=gebruiker.id,
        loket_key_id=loket_key.id,
        sealed=seal(private_key, grant_header(gebruiker, loket_key), [recipient]),
        aangemaakt_op=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def unwrap_grants(session: Session, gebruiker: Gebruiker, user_private: bytes) -> dict[str, bytes]:
    """All loket private keys granted to this user: kid -> raw private key."""
    result: dict[str, bytes] = {}
    rows = session.execute(
        select(KeyGrant, LoketKey)
        .join(LoketKey, LoketKey.id == KeyGrant.loket_key_id)
        .where(KeyGrant.gebruiker_id == gebruiker.id)
    )
    for toegang, loket_key in rows:
        result[loket_key.kid] = open_sealed(
            toegang.sealed, grant_header(gebruiker, loket_key), user_private
        )
    return result


def scope_keys(session: Session, loket: str, scope: str) -> list[LoketKey]:
    return list(
        session.scalars(
            select(LoketKey)
            .where(LoketKey.loket == loket, LoketKey.eenheid == scope)
            .order_by(LoketKey.id)
        )
    )


def unlock_scope(keys: Iterable[LoketKey], passphrase: str) -> dict[int, bytes]:
    """Loket key id -> private key for every key this passphrase opens (at least one)."""
    opened: dict[int, bytes] = {}
    for row in keys:
        try:
            opened[row.id] = unlock(row, passphrase)
        except WrongSecret:
            continue
    if not opened:
        raise NoKeyUnlocked("the passphrase opens no key of this loket")
    return opened
