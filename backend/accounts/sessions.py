"""Loket login sessions.

At login the user's private key is opened with their password and the loket
keys granted to them are unwrapped. The session row keeps those loket keys only
encrypted under a key derived from the random session token, and stores only a
SHA-256 hash of the token. Any backend worker can serve the session; the
database alone (without the token, which lives only in the user's browser or
client) cannot open the keys.

A session ends at the first of: logout, its absolute end (``verloopt_op``, set at
login), or ``idle`` without a request (``laatst_actief_op``, moved on by every
request). Both limits are checked here, on the server, for every request; an
ended session's row (with its encrypted keys) is deleted when it is noticed.
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
    idle: timedelta | None = None,
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
    if idle is not None:
        session.execute(delete(Sessie).where(Sessie.laatst_actief_op < now - idle))
    token = secrets.token_urlsafe(32)
    verloopt_op = now + lifetime
    session.add(
        Sessie(
            token_hash=token_hash(token),
            gebruiker_id=gebruiker.id,
            aangemaakt_op=now,
            verloopt_op=verloopt_op,
            laatst_actief_op=now,
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


def idle_since(sessie: Sessie) -> datetime:
    return as_utc(sessie.laatst_actief_op or sessie.aangemaakt_op)


def resolve(
    session: Session,
    token: str,
    now: datetime | None = None,
    idle: timedelta | None = None,
) -> ActiveSession:
    """The session of this token, else SessionInvalid (ended, idle too long, unknown)."""
    now = now or utcnow()
    sessie = session.scalars(select(Sessie).where(Sessie.token_hash == token_hash(token))).first()
    if sessie is None:
        raise SessionInvalid("no such session")
    if as_utc(sessie.verloopt_op) <= now or (idle is not None and idle_since(sessie) + idle <= now):
        session.delete(sessie)
        session.flush()
        raise SessionInvalid("session ended")
    sessie.laatst_actief_op = now
    gebruiker = session.get(Gebruiker, sessie.gebruiker_id)
    if gebruiker is None or not gebruiker.actief:
        raise SessionInvalid("user inactive")
    return ActiveSession(token, sessie, gebruiker)


def logout(session: Session, active: ActiveSession) -> None:
    session.delete(active.sessie)
    session.flush()
