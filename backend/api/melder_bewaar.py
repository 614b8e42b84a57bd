"""Bewaarmeldingen: store (action server), open, add to, delete and send (the melder).

Storing comes from a registered action server, signed like a submission, within the
same submission budget. The melder's requests carry ``bewijs`` (a challenge signed
with the key derived from the meldcode) and count against the same guessing budgets
as the melder API (backend/api/melder.py). The backend opens nothing: it hands the
sealed record to the melder's side and takes it back sealed (docs/bewaarmelding.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from backend.accounts.submitters import Submitter
from backend.api.deps import RouteboekjeDep, SessionDep
from backend.api.melder import _Unknown, with_proof
from backend.api.public import signed_submitter
from backend.api.schemas.bewaarmelding import (
    BewaardAanvullenIn,
    BewaardIn,
    BewaardOpenOut,
    BewaardVerstuurdOut,
    BewaardVerstuurIn,
    BewaarIn,
    BewaarOut,
)
from backend.api.schemas.melder import MelderActieOut
from backend.domain.audit import record
from backend.domain.bewaarmeldingen import (
    delete_bewaarmelding,
    find_bewaarmelding,
    replace_sealed,
    store_bewaarmelding,
    verstuur,
)
from backend.storage.clock import as_utc, as_utc_or_none, utcnow
from backend.storage.models import Bewaarmelding

T = TypeVar("T")

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No bewaarmelding for this proof (or it expired)"},
    422: {"description": "Malformed request, or not sealed to the melder only"},
    429: {"description": "Too many failing attempts; see Retry-After"},
}

router = APIRouter(tags=["bewaarmeldingen"])


def _out(bewaar: Bewaarmelding) -> BewaarOut:
    return BewaarOut(
        bewaar_id=bewaar.id,
        vastgelegd_op=as_utc(bewaar.vastgelegd_op),
        verloopt_op=as_utc(bewaar.verloopt_op),
    )


@router.post(
    "/api/v1/bewaarmeldingen",
    status_code=201,
    summary="Store a bewaarmelding: sealed to the melder's key only (signed by an action server)",
    responses={
        401: {"description": "Not signed by an action server"},
        409: {"description": "This id or melder key exists already"},
        422: {"description": "Not sealed to the melder only, or the signature does not fit"},
        429: {"description": "Too many submissions; see Retry-After"},
    },
)
def bewaar(
    _submitter: Annotated[Submitter, Depends(signed_submitter)],
    body: BewaarIn,
    session: SessionDep,
) -> BewaarOut:
    return _out(store_bewaarmelding(session, body, utcnow()))


async def with_bewaarmelding(
    request: Request, actie: str, body: BewaardIn, work: Callable[[Session, Bewaarmelding], T]
) -> T:
    """Run ``work`` on the bewaarmelding of this proof, within the guessing budget."""
    assert body.bewijs is not None  # noqa: S101 - BewaardIn guarantees it
    sleutel = body.bewijs.sleutel

    def find(session: Session) -> Bewaarmelding:
        bewaar = find_bewaarmelding(session, sleutel, utcnow())
        if bewaar is None:
            raise _Unknown
        return bewaar

    return await with_proof(request, actie, body, find, work)


@router.post(
    "/api/v1/melder/bewaard/openen",
    tags=["melder"],
    summary="The sealed bewaarmelding, for the melder's side to open",
    responses=_ERRORS,
)
async def openen(request: Request, body: BewaardIn) -> BewaardOpenOut:
    def work(session: Session, b: Bewaarmelding) -> BewaardOpenOut:
        return BewaardOpenOut(
            **_out(b).model_dump(), sealed=b.sealed, bijgewerkt_op=as_utc_or_none(b.bijgewerkt_op)
        )

    return await with_bewaarmelding(request, "bewaard_openen", body, work)


@router.post(
    "/api/v1/melder/bewaard/aanvullen",
    tags=["melder"],
    summary="Replace the bewaarmelding with a version the melder added to (sealed again)",
    responses=_ERRORS,
)
async def aanvullen(request: Request, body: BewaardAanvullenIn) -> BewaarOut:
    def work(session: Session, b: Bewaarmelding) -> BewaarOut:
        replace_sealed(b, body.sealed, utcnow())
        session.flush()
        return _out(b)

    return await with_bewaarmelding(request, "bewaard_aanvullen", body, work)


@router.post(
    "/api/v1/melder/bewaard/verwijderen",
    tags=["melder"],
    summary="Delete the bewaarmelding (shredded, then deleted)",
    responses=_ERRORS,
)
async def verwijderen(request: Request, body: BewaardIn) -> MelderActieOut:
    def work(session: Session, b: Bewaarmelding) -> MelderActieOut:
        bewaar_id = b.id
        delete_bewaarmelding(session, b)
        record(session, "melder", "bewaarmelding_verwijderd")
        return MelderActieOut(melding_id=bewaar_id, status="verwijderd")

    return await with_bewaarmelding(request, "bewaard_verwijderen", body, work)


@router.post(
    "/api/v1/melder/bewaard/versturen",
    status_code=201,
    tags=["melder"],
    summary="Send the bewaarmelding to a loket: it becomes a melding in one transaction",
    responses={
        **_ERRORS,
        409: {"description": "A melding with this id exists already"},
    },
)
async def versturen(
    request: Request, body: BewaardVerstuurIn, boek: RouteboekjeDep
) -> BewaardVerstuurdOut:
    def work(session: Session, b: Bewaarmelding) -> BewaardVerstuurdOut:
        m = verstuur(session, boek, b, body)
        fields = (
            "id status loket eenheid ontvangen_op termijn_soort bevestigen_voor "
            "terugkoppeling_voor vastgelegd_op"
        )
        return BewaardVerstuurdOut(**m.columns(fields))

    return await with_bewaarmelding(request, "bewaard_versturen", body, work)
