"""The anonymous melder API: status, messages, aanvulling, withdrawal — by meldcode only.

A melder's request is checked in ``with_melding``: the meldcode travels only in
JSON bodies, every lookup computes the slow meldcode hash, and a failing lookup
also waits and counts against in-memory budgets per source (a signed action
server or a network address), per meldcode presented and in total
(backend/accounts/meldcode_limiter.py, docs/security.md). No IP address or user
agent is stored or logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from backend.accounts.client_identity import client_address
from backend.accounts.meldcode_limiter import MeldcodeLimiter
from backend.accounts.submitters import SignatureChecker
from backend.api.deps import RouteboekjeDep, get_database, get_settings
from backend.api.errors import ApiError
from backend.api.schemas.melder import (
    MeldcodeIn,
    MelderActieOut,
    MelderBericht,
    MelderStatusOut,
    MelderTekstIn,
)
from backend.domain.audit import record
from backend.domain.berichten import add_text, berichten_of, open_text
from backend.domain.termijnen import TERMIJN_LABEL
from backend.keys.kdf_gate import kdf_slot
from backend.keys.meldcode_hash import hash_meldcode, meldcode_salt
from backend.routing.routeboekje import Routeboekje
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import EINDSTATUSSEN, Melding
from envelope.melder_key import melder_private_key
from envelope.sealing import SealError, b64e, public_from_private

T = TypeVar("T")

NOT_FOUND = ApiError(
    404,
    "meldcode_onbekend",
    "We vinden geen melding bij deze meldcode. Kijk of je de code goed hebt overgenomen.",
    "No melding was found for this meldcode. Check that you copied it correctly.",
)
WITHDRAWN = ApiError(
    409,
    "melding_ingetrokken",
    "Je hebt deze melding ingetrokken. Je kunt er niets meer aan toevoegen.",
    "This melding was withdrawn; nothing can be added to it.",
)
ALREADY_CLOSED = ApiError(
    409,
    "melding_afgerond",
    "Deze melding is al afgerond. Intrekken kan niet meer.",
    "This melding is already closed and cannot be withdrawn.",
)
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "Malformed meldcode or text (Dutch and English message)"},
    404: {"description": "No melding for this meldcode"},
    429: {"description": "Too many failing attempts; see Retry-After"},
}

log = logging.getLogger(__name__)


class _Unknown(LookupError):
    pass


def _too_many(wait: int) -> ApiError:
    return ApiError(
        429,
        "te_veel_pogingen",
        "Je hebt te vaak een verkeerde meldcode ingevuld. Wacht even en probeer het dan opnieuw.",
        "Too many wrong meldcodes. Wait a while and try again.",
        headers={"Retry-After": str(wait)},
    )


def _find(session: Session, meldcode: str) -> Melding:
    digest = hash_meldcode(meldcode, meldcode_salt(session))
    melding = session.scalars(select(Melding).where(Melding.meldcode_hash == digest)).first()
    if melding is None:
        raise _Unknown
    return melding


def _melder_key(melding: Melding, meldcode: str) -> bytes:
    """The melder's private key, derived in memory for this request only."""
    with kdf_slot():
        private = melder_private_key(meldcode, melding.id)
    derived = b64e(public_from_private(private))
    if melding.melder_public_key != derived:
        # None: a melding from before the melder key existed. Different: the client
        # sent a key that does not fit the meldcode (the backend does not re-derive it
        # on submission); from now on the loket's messages reach the melder again.
        if melding.melder_public_key is not None:
            log.warning("melding %s: melder key did not fit the meldcode; corrected", melding.id)
        melding.melder_public_key = derived
    return private


router = APIRouter(prefix="/api/v1/melder", tags=["melder"])


async def with_melding(request: Request, meldcode: str, work: Callable[[Session, Melding], T]) -> T:
    """Run ``work`` on the melding of this meldcode, within the guessing budget."""
    settings = get_settings(request)
    limiter: MeldcodeLimiter = request.app.state.meldcode_limiter
    signatures: SignatureChecker = request.app.state.signatures
    database = get_database(request)
    submitter = await signatures.check(request)  # a signed action server, or None
    source = (
        limiter.action_server(submitter.kid)
        if submitter is not None
        else limiter.address(client_address(request))
    )
    code = limiter.code(meldcode)
    wait = limiter.retry_after(source, code)
    if wait is not None:
        raise _too_many(wait)

    def run() -> T:
        with database.session() as session:
            return work(session, _find(session, meldcode))

    try:
        return await run_in_threadpool(run)
    except _Unknown:
        limiter.failure(source, code)
        await limiter.slow_down(source, settings.meldcode_vertraging_ms / 1000)
        raise NOT_FOUND from None


@router.post(
    "/status",
    summary="Status, the two legal dates and the messages of a melding",
    responses=_ERRORS,
)
async def status(request: Request, body: MeldcodeIn, boek: RouteboekjeDep) -> MelderStatusOut:
    def work(session: Session, m: Melding) -> MelderStatusOut:
        private = _melder_key(m, body.meldcode)
        berichten: list[MelderBericht] = []
        for b in berichten_of(session, m, include_notes=False):
            try:
                tekst = open_text(m, b, private)
            except SealError:
                continue
            berichten.append(
                MelderBericht(
                    van=b.van,  # type: ignore[arg-type]
                    soort=b.soort,  # type: ignore[arg-type]
                    verzonden_op=as_utc(b.verzonden_op),
                    tekst=tekst,
                )
            )
        record(session, "melder", "melder_status_bekeken", m.id)
        return MelderStatusOut(
            melding_id=m.id,
            loket_naam=boek.loket(m.loket).naam,
            berichten=berichten,
            **m.columns(
                "status loket eenheid categorie ontvangen_op termijn_soort bevestigen_voor "
                "terugkoppeling_voor bevestigd_op"
            ),
            termijn_label=TERMIJN_LABEL.get(m.termijn_soort, m.termijn_soort),
        )

    return await with_melding(request, body.meldcode, work)


async def _add(
    soort: Literal["bericht", "aanvulling"],
    request: Request,
    body: MelderTekstIn,
    boek: Routeboekje,
) -> MelderActieOut:
    def work(session: Session, m: Melding) -> MelderActieOut:
        if m.status == "ingetrokken":
            raise WITHDRAWN
        _melder_key(m, body.meldcode)
        now = utcnow()
        add_text(session, boek, m, body.tekst, "melder", soort, now)
        record(session, "melder", f"melder_{soort}", m.id)
        return MelderActieOut(melding_id=m.id, status=m.status, verzonden_op=now)

    return await with_melding(request, body.meldcode, work)


_ADDED: dict[str, Any] = {"status_code": 201, "responses": _ERRORS}


@router.post(
    "/berichten",
    summary="Reply to the loket (sealed at once to the loket and the melder)",
    **_ADDED,
)
async def bericht(request: Request, body: MelderTekstIn, boek: RouteboekjeDep) -> MelderActieOut:
    return await _add("bericht", request, body, boek)


@router.post(
    "/aanvulling", summary="Add information to the melding (sealed like a message)", **_ADDED
)
async def aanvulling(request: Request, body: MelderTekstIn, boek: RouteboekjeDep) -> MelderActieOut:
    return await _add("aanvulling", request, body, boek)


@router.post(
    "/intrekken",
    summary="Withdraw the melding",
    responses=_ERRORS,
)
async def intrekken(request: Request, body: MeldcodeIn) -> MelderActieOut:
    def work(session: Session, m: Melding) -> MelderActieOut:
        if m.status == "afgerond":
            raise ALREADY_CLOSED
        if m.status not in EINDSTATUSSEN:
            m.status = "ingetrokken"
            m.ingetrokken_op = utcnow()
            record(session, "melder", "melder_ingetrokken", m.id)
        return MelderActieOut(melding_id=m.id, status=m.status)

    return await with_melding(request, body.meldcode, work)
