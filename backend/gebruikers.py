"""Loket users: create, grant loket keys, re-grant after a forgotten password.

A loket private key is *granted* to a user by sealing it to the user's own
X25519 public key (a `SleutelToegang` row). Granting needs the loket key in
clear, so only someone holding the loket passphrase (an administrator or
coordinator at the console) can add users or reset them. Adding a *new*
loket key to existing users needs only their public keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.clock import utcnow
from backend.keyprotect import WrongPassphrase
from backend.keystore import unlock
from backend.models import ROLLEN, Gebruiker, LoketKey, Sessie, SleutelToegang
from backend.password_keys import Argon2Cost, protect_with_password
from envelope.sealing import (
    Recipient,
    b64d,
    b64e,
    generate_keypair,
    key_id,
    open_sealed,
    seal,
)


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
) -> SleutelToegang:
    """Wrap a loket private key for one user."""
    recipient = Recipient(kid=gebruiker.kid, public_key=b64d(gebruiker.public_key))
    row = SleutelToegang(
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
        select(SleutelToegang, LoketKey)
        .join(LoketKey, LoketKey.id == SleutelToegang.loket_key_id)
        .where(SleutelToegang.gebruiker_id == gebruiker.id)
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
        except WrongPassphrase:
            continue
    if not opened:
        raise NoKeyUnlocked("the passphrase opens no key of this loket")
    return opened


def _new_identity(password: str, cost: Argon2Cost) -> tuple[str, str, dict]:  # type: ignore[type-arg]
    private, public = generate_keypair()
    kid = key_id(public)
    return kid, b64e(public), protect_with_password(private, password, kid, cost)


def create_user(
    session: Session,
    naam: str,
    loket: str,
    scope: str,
    rol: str,
    password: str,
    loket_passphrase: str,
    cost: Argon2Cost,
) -> Gebruiker:
    """A new user of a loket, granted every loket key the passphrase opens."""
    if rol not in ROLLEN:
        raise ValueError(f"unknown role {rol!r} (use {', '.join(ROLLEN)})")
    keys = scope_keys(session, loket, scope)
    if not keys:
        raise NoKeyUnlocked("this loket has no key yet; run 'keys generate' first")
    opened = unlock_scope(keys, loket_passphrase)
    kid, public, protected = _new_identity(password, cost)
    gebruiker = Gebruiker(
        naam=naam,
        loket=loket,
        eenheid=scope,
        rol=rol,
        kid=kid,
        public_key=public,
        protected_private_key=protected,
        actief=True,
        aangemaakt_op=utcnow(),
    )
    session.add(gebruiker)
    session.flush()
    for row in keys:
        if row.id in opened:
            grant(session, gebruiker, row, opened[row.id])
    return gebruiker


def reset_password(
    session: Session,
    gebruiker: Gebruiker,
    new_password: str,
    loket_passphrase: str,
    cost: Argon2Cost,
) -> int:
    """Recovery: new user key pair under a new password, loket keys granted again.

    The old key pair and grants are dropped and every session of the user ends.
    Returns the number of loket keys granted.
    """
    keys = scope_keys(session, gebruiker.loket, gebruiker.eenheid)
    opened = unlock_scope(keys, loket_passphrase)
    kid, public, protected = _new_identity(new_password, cost)
    session.execute(delete(SleutelToegang).where(SleutelToegang.gebruiker_id == gebruiker.id))
    session.execute(delete(Sessie).where(Sessie.gebruiker_id == gebruiker.id))
    gebruiker.kid, gebruiker.public_key, gebruiker.protected_private_key = kid, public, protected
    session.flush()
    for row in keys:
        if row.id in opened:
            grant(session, gebruiker, row, opened[row.id])
    return len(opened)


def users_of_scope(session: Session, loket: str, scope: str) -> list[Gebruiker]:
    return list(
        session.scalars(
            select(Gebruiker).where(
                Gebruiker.loket == loket, Gebruiker.eenheid == scope, Gebruiker.actief
            )
        )
    )
