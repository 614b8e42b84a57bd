"""Loket login sessions.

At login the user's private key is opened with their password and the loket
keys granted to them are unwrapped. The session row keeps those loket keys only
encrypted under a key derived from the random session token, and stores only a
SHA-256 hash of the token. Any backend worker can serve the session; the
database alone (without the token, which lives only in the user's browser or
client) cannot open the keys.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.keys.grants import unwrap_grants
from backend.keys.protection import Argon2Cost, WrongSecret, burn_time, unprotect_with_password
from backend.keys.session_keys import SessionInvalid, open_keys, seal_keys, token_hash
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import Gebruiker, Sessie

__all__ = ["ActiveSession", "LoggedIn", "LoginFailed", "SessionInvalid", "login", "logout"]


class LoginFailed(ValueError):
    """Unknown user, inactive user or wrong password (deliberately not told apart)."""


@dataclass(frozen=True)
class LoggedIn:
    token: str
    gebruiker: Gebruiker
    verloopt_op: datetime


def login(
    session: Session,
    naam: str,
    password: str,
    cost: Argon2Cost,
    lifetime: timedelta,
    now: datetime | None = None,
) -> LoggedIn:
    now = now or utcnow()
    gebruiker = session.scalars(select(Gebruiker).where(Gebruiker.naam == naam)).first()
    if gebruiker is None or not gebruiker.actief:
        burn_time(password, cost)
        raise LoginFailed(naam)
    try:
        private = unprotect_with_password(gebruiker.protected_private_key, password, gebruiker.kid)
    except WrongSecret as exc:
        raise LoginFailed(naam) from exc
    keys = unwrap_grants(session, gebruiker, private)
    session.execute(delete(Sessie).where(Sessie.verloopt_op < now))
    token = secrets.token_urlsafe(32)
    verloopt_op = now + lifetime
    session.add(
        Sessie(
            token_hash=token_hash(token),
            gebruiker_id=gebruiker.id,
            aangemaakt_op=now,
            verloopt_op=verloopt_op,
            sleutels=seal_keys(token, keys),
        )
    )
    session.flush()
    return LoggedIn(token, gebruiker, verloopt_op)


@dataclass
class ActiveSession:
    token: str
    sessie: Sessie
    gebruiker: Gebruiker

    def loket_keys(self) -> dict[str, bytes]:
        """The loket private keys of this session, decrypted for this request only."""
        return open_keys(self.token, self.sessie.sleutels)


def resolve(session: Session, token: str, now: datetime | None = None) -> ActiveSession:
    now = now or utcnow()
    sessie = session.scalars(select(Sessie).where(Sessie.token_hash == token_hash(token))).first()
    if sessie is None or as_utc(sessie.verloopt_op) <= now:
        raise SessionInvalid("no such session")
    gebruiker = session.get(Gebruiker, sessie.gebruiker_id)
    if gebruiker is None or not gebruiker.actief:
        raise SessionInvalid("user inactive")
    return ActiveSession(token, sessie, gebruiker)


def logout(session: Session, active: ActiveSession) -> None:
    session.delete(active.sessie)
    session.flush()
