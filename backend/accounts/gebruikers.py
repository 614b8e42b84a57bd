"""Loket users: create, reset after a forgotten password, list per scope.

Each user has an own X25519 key pair, the private key under their password
(`backend/keys/protection.py`); the loket keys reach them as grants
(`backend/keys/grants.py`).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.keys.grants import NoKeyUnlocked, grant, scope_keys, unlock_scope
from backend.keys.protection import Argon2Cost, protect_with_password
from backend.storage.clock import utcnow
from backend.storage.models import ROLLEN, Gebruiker, KeyGrant, Sessie
from envelope.sealing import b64e, generate_keypair, key_id

__all__ = ["NoKeyUnlocked", "create_user", "reset_password", "users_of_scope"]


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
    session.execute(delete(KeyGrant).where(KeyGrant.gebruiker_id == gebruiker.id))
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
