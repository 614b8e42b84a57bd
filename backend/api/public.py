"""The public API: health, routing advice, loket public keys and submitting a melding.

No login: routing advice stores nothing, a public key is public, and a melding
arrives sealed (the backend sees only the envelope).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Response
from fastapi import Path as PathParam
from sqlalchemy import text

from backend.api.deps import RouteboekjeDep, SessionDep
from backend.api.errors import ApiError, loket_not_digital, loket_without_key
from backend.api.schemas.meldingen import MeldingIn, MeldingOut, PublicKeyOut
from backend.domain.meldingen import store_melding
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


@router.post(
    "/api/v1/meldingen",
    status_code=201,
    tags=["meldingen"],
    summary="Submit a sealed melding (idempotent by Idempotency-Key)",
    responses={200: {"description": "Replay: this melding was stored before"}},
)
def submit_melding(
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
    # As stored (a replay read from SQLite has naive datetimes; kept as they were).
    fields = (
        "id status loket eenheid ontvangen_op termijn_soort bevestigen_voor terugkoppeling_voor"
    )
    return MeldingOut(meldcode=stored.meldcode, **m.columns(fields, utc=False))
