"""The public API: health, routing advice, loket public keys and submitting a melding.

No login: routing advice stores nothing and a public key is public. A melding
arrives sealed (the backend sees only the envelope), and only from a registered
action server that signs the request (backend/accounts/submitters.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Request, Response
from fastapi import Path as PathParam
from sqlalchemy import text

from backend.accounts.submitters import SignatureChecker, SubmissionLimiter, Submitter
from backend.api.deps import RouteboekjeDep, SessionDep
from backend.api.errors import ApiError, loket_not_digital, loket_without_key
from backend.api.schemas.meldingen import MeldingIn, MeldingOut, PublicKeyOut
from backend.api.schemas.ontvangstbewijs import OntvangstbewijsOut
from backend.domain.meldingen import store_melding
from backend.domain.ontvangstbewijs import issue as issue_receipt
from backend.keys.loket_keys import NoDigitalLoket, active_key, key_scope
from backend.routing.advies import RouteAdviesRequest, RouteAdviesResponse, advise
from backend.routing.codes import EENHEDEN, LOKETTEN

ROUTEADVIES_EXAMPLES: dict[str, Any] = {
    "pesten": {
        "summary": "Bullying, wants support, Rotterdam",
        "value": {
            "categorie": "pesten",
            "rol_melder": "betrokkene",
            "eenheid": "rotterdam",
            "eerder_gemeld": "nee",
            "wens": "steun",
            "anoniem": True,
        },
    },
    "misstand": {
        "summary": "Suspected wrongdoing, wants an investigation",
        "value": {"categorie": "misstand", "wens": "onderzoek"},
    },
}

router = APIRouter()


def _unknown_code(what: str, value: str) -> ApiError:
    return ApiError(
        422,
        f"unknown_{what}",
        f"Onbekende {what}: '{value[:40]}'.",
        f"Unknown {what} code: '{value[:40]}'.",
    )


@router.get("/health", tags=["operations"])
def health(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.post(
    "/api/v1/routeadvies",
    tags=["routeboekje"],
    summary="Routing advice for a situation (public, stores nothing)",
)
def routeadvies(
    body: Annotated[RouteAdviesRequest, Body(openapi_examples=ROUTEADVIES_EXAMPLES)],
    boek: RouteboekjeDep,
) -> RouteAdviesResponse:
    return RouteAdviesResponse(advies=advise(body, boek))


@router.get(
    "/api/v1/lokets/{loket}/{eenheid}/publickey",
    tags=["lokets"],
    summary="The active public key a melding for this loket is sealed to",
)
def publickey(
    loket: Annotated[str, PathParam(examples=["vertrouwenspersoon"])],
    eenheid: Annotated[str, PathParam(examples=["rotterdam"])],
    boek: RouteboekjeDep,
    session: SessionDep,
) -> PublicKeyOut:
    if loket not in LOKETTEN:
        raise _unknown_code("loket", loket)
    if eenheid not in EENHEDEN:
        raise _unknown_code("eenheid", eenheid)
    try:
        scope = key_scope(boek, loket, eenheid)
    except NoDigitalLoket as exc:
        raise loket_not_digital(404, contact_directly=True) from exc
    row = active_key(session, loket, scope)
    if row is None:
        raise loket_without_key(404)
    return PublicKeyOut(loket=loket, eenheid=row.eenheid, kid=row.kid, public_key=row.public_key)


async def signed_submitter(request: Request) -> Submitter:
    """The registered action server that signed this request, within its submission budget."""
    signatures: SignatureChecker = request.app.state.signatures
    submitter = await signatures.require(request)
    limiter: SubmissionLimiter = request.app.state.submission_limiter
    limiter.admit(submitter.kid)
    return submitter


_SUBMIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Replay: this melding was stored before; the same answer again"},
    401: {"description": "Not signed, or the signature is invalid, stale or replayed"},
    403: {"description": "Signed by a key the backend does not know"},
    409: {"description": "The idempotency key or melding id belongs to another melding"},
    413: {"description": "Request body too large"},
    422: {"description": "Malformed envelope, or sealed for keys no loket could open"},
    429: {"description": "Too many submissions; see Retry-After"},
}


@router.post(
    "/api/v1/meldingen",
    status_code=201,
    tags=["meldingen"],
    summary="Submit a sealed melding (signed by an action server; idempotent by Idempotency-Key)",
    responses=_SUBMIT_RESPONSES,
)
def submit_melding(
    _submitter: Annotated[Submitter, Depends(signed_submitter)],
    response: Response,
    body: MeldingIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=128)],
    boek: RouteboekjeDep,
    session: SessionDep,
) -> MeldingOut:
    stored = store_melding(session, boek, body, idempotency_key)
    m = stored.melding
    if not stored.created:
        response.status_code = 200
    # Aware UTC either way, so a replay (read back from SQLite: naive) answers the same.
    fields = (
        "id status loket eenheid ontvangen_op termijn_soort bevestigen_voor terugkoppeling_voor"
    )
    # The signed receipt (docs/ontvangstbewijs.md); a replay gets the same one again.
    sealed_identiteit = body.sealed_identiteit.stored() if body.sealed_identiteit else None
    bewijs = issue_receipt(session, m, body.sealed.stored(), sealed_identiteit)
    return MeldingOut(
        meldcode=stored.meldcode,
        ontvangstbewijs=OntvangstbewijsOut.model_validate(bewijs),
        **m.columns(fields),
    )
