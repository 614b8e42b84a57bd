"""What the API routes depend on, as ``Annotated`` types (FastAPI dependencies).

- ``SessionDep``: one database session in one transaction per request; it commits
  when the route returns and rolls back when it raises - before the response is sent.
- ``LoginDep``: the logged-in loket user (bearer token), else 401.
- ``VisibleMelding``: the melding of the path that this user may see (own loket and
  eenheid; national lokets: every eenheid), else 404 - exactly like a melding that
  does not exist.
- ``CoordinatorDep``: the logged-in user, who must be a coordinator, else 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from backend.accounts.guess_limiter import GuessLimiter
from backend.accounts.sessions import ActiveSession, SessionInvalid, resolve
from backend.api.errors import ApiError
from backend.core.config import Settings
from backend.keys.loket_keys import LANDELIJK
from backend.routing.routeboekje import Routeboekje
from backend.storage.db import Database
from backend.storage.models import Gebruiker, Melding

NOT_LOGGED_IN = ApiError(
    401,
    "niet_ingelogd",
    "Je bent niet (meer) ingelogd. Log opnieuw in.",
    "You are not logged in, or your session ended. Log in again.",
    headers={"WWW-Authenticate": "Bearer"},
)
NOT_FOUND = ApiError(
    404,
    "melding_niet_gevonden",
    "Deze melding bestaat niet of hoort niet bij jouw loket.",
    "This melding does not exist or does not belong to your loket.",
)
ONLY_COORDINATOR = ApiError(
    403,
    "alleen_coordinator",
    "Dit kan alleen een coördinator.",
    "Only a coordinator may do this.",
)


# --- what create_app put on app.state ---------------------------------------------------


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_routeboekje(request: Request) -> Routeboekje:
    return request.app.state.routeboekje  # type: ignore[no-any-return]


def get_database(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def get_login_limiter(request: Request) -> GuessLimiter:
    return request.app.state.login_limiter  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
RouteboekjeDep = Annotated[Routeboekje, Depends(get_routeboekje)]
DatabaseDep = Annotated[Database, Depends(get_database)]
LoginLimiterDep = Annotated[GuessLimiter, Depends(get_login_limiter)]


def get_session(database: DatabaseDep) -> Iterator[Session]:
    with database.session() as session:
        yield session


# scope="function": the transaction ends when the route returns, before the response
# is sent, so a 2xx means committed and a failing commit is an error, not a lost write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# --- the logged-in loket user -----------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/loket/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_login(
    session: SessionDep, credentials: Credentials, settings: SettingsDep
) -> ActiveSession:
    if credentials is None or not credentials.credentials:
        raise NOT_LOGGED_IN
    idle = timedelta(minutes=settings.sessie_inactief_minuten)
    try:
        return resolve(session, credentials.credentials, idle=idle)
    except SessionInvalid as exc:
        raise NOT_LOGGED_IN from exc


LoginDep = Annotated[ActiveSession, Depends(get_login)]


def get_coordinator(login: LoginDep) -> ActiveSession:
    if login.gebruiker.rol != "coordinator":
        raise ONLY_COORDINATOR
    return login


CoordinatorDep = Annotated[ActiveSession, Depends(get_coordinator)]


def session_keys(login: ActiveSession) -> dict[str, bytes]:
    """The loket private keys of this login session, for this request only."""
    try:
        return login.loket_keys()
    except SessionInvalid as exc:
        raise NOT_LOGGED_IN from exc


# --- a melding this user may see --------------------------------------------------------


def in_scope(query: Select[Any], gebruiker: Gebruiker) -> Select[Any]:
    """Only meldingen of the user's loket and eenheid (national lokets: every eenheid)."""
    query = query.where(Melding.loket == gebruiker.loket)
    if gebruiker.eenheid != LANDELIJK:
        query = query.where(Melding.eenheid == gebruiker.eenheid)
    return query


MeldingId = Annotated[
    str, PathParam(max_length=36, examples=["3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90"])
]


def get_visible_melding(session: SessionDep, login: LoginDep, melding_id: MeldingId) -> Melding:
    melding = session.scalars(
        in_scope(select(Melding), login.gebruiker).where(Melding.id == melding_id)
    ).first()
    if melding is None:
        raise NOT_FOUND
    return melding


VisibleMelding = Annotated[Melding, Depends(get_visible_melding)]
