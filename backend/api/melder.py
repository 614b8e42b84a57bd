"""The anonymous melder API: status, messages, aanvulling, withdrawal — by meldcode only.

Current meldcodes never reach the backend: the melder's side signs a fresh
challenge with the key derived from the code (``bewijs``), the backend finds the
melding by that public key and checks the signature; it hands out sealed
messages and takes sealed replies, and opens nothing (docs/encryption.md).
Older 16-character meldcodes still travel in the JSON body and are looked up by
their slow hash, as before. A failing lookup of either kind waits and counts
against in-memory budgets per source (a signed action server or a network
address), per public key or meldcode presented and in total
(backend/accounts/meldcode_limiter.py, docs/security.md). No IP address or user
agent is stored or logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
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
    LoketSleutel,
    MeldcodeIn,
    MelderActieOut,
    MelderBericht,
    MelderStatusOut,
    MelderTekstIn,
    UitdagingOut,
)
from backend.api.schemas.ontvangstbewijs import receipt_out
from backend.domain.audit import record
from backend.domain.berichten import (
    add_sealed_text,
    add_text,
    berichten_of,
    handling_key,
    open_text,
)
from backend.domain.bewaarmeldingen import find_bewaarmelding
from backend.domain.checkins import status_of as checkin_status
from backend.domain.meldingen import SLEUTEL_PREFIX
from backend.domain.ontvangstbewijs import stored_receipt
from backend.domain.termijnen import TERMIJN_LABEL
from backend.keys.kdf_gate import kdf_slot
from backend.keys.meldcode_hash import hash_meldcode, meldcode_salt
from backend.keys.melder_challenge import Challenges, challenge_key
from backend.routing.routeboekje import Routeboekje
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import EINDSTATUSSEN, Melding
from envelope.melder_auth import request_message
from envelope.melder_key import melder_private_key, verify_signature
from envelope.sealing import SealError, b64d, b64e, public_from_private

T = TypeVar("T")
F = TypeVar("F")

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
IS_BEWAARMELDING = ApiError(
    409,
    "bewaarmelding",
    "Deze meldcode hoort bij een melding die je alleen hebt bewaard. Die is nog niet verstuurd.",
    "This meldcode belongs to a bewaarmelding (not sent): use /api/v1/melder/bewaard/*.",
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


def _find(session: Session, body: MeldcodeIn) -> Melding:
    if body.bewijs is not None:
        digest = SLEUTEL_PREFIX + body.bewijs.sleutel
    else:
        assert body.meldcode is not None  # noqa: S101 - MeldcodeIn guarantees one of both
        digest = hash_meldcode(body.meldcode, meldcode_salt(session))
    melding = session.scalars(select(Melding).where(Melding.meldcode_hash == digest)).first()
    if melding is None:
        # A code of a melding the melder only stored: say so (the proof already held).
        if body.bewijs is not None and find_bewaarmelding(session, body.bewijs.sleutel, utcnow()):
            raise IS_BEWAARMELDING
        raise _Unknown
    return melding


def _legacy_melder_key(melding: Melding, meldcode: str, *, write: bool) -> bytes:
    """Older meldcodes: the melder's private key, derived in memory for this request only.

    A read never writes. A melding from before the melder key existed gets its key at
    the melder's first message (a write), so the loket's replies reach the melder.
    """
    with kdf_slot():
        private = melder_private_key(meldcode, melding.id)
    if write and melding.melder_public_key is None:
        melding.melder_public_key = b64e(public_from_private(private))
    return private


def _challenges(request: Request) -> Challenges:
    state = request.app.state
    if getattr(state, "melder_challenges", None) is None:
        state.melder_challenges = Challenges(challenge_key(get_database(request)))
    challenges: Challenges = state.melder_challenges
    return challenges


def _proof_holds(request: Request, actie: str, body: MeldcodeIn) -> bool:
    """Current meldcodes: a genuine unused challenge, signed with the melder's key."""
    bewijs = body.bewijs
    if bewijs is None:
        return True
    message = request_message(actie, bewijs.uitdaging, bewijs.sleutel, body.signed_body())
    return _challenges(request).redeem(bewijs.uitdaging) and verify_signature(
        b64d(bewijs.sleutel), b64d(bewijs.handtekening), message
    )


router = APIRouter(prefix="/api/v1/melder", tags=["melder"])


@router.post(
    "/uitdaging",
    summary="A single-use challenge for the melder to sign (current meldcodes)",
)
async def uitdaging(request: Request) -> UitdagingOut:
    text, expiry = _challenges(request).issue()
    return UitdagingOut(uitdaging=text, geldig_tot=datetime.fromtimestamp(expiry, UTC))


async def with_melding(
    request: Request, actie: str, body: MeldcodeIn, work: Callable[[Session, Melding], T]
) -> T:
    """Run ``work`` on the melding of this proof or meldcode, within the guessing budget."""
    return await with_proof(request, actie, body, lambda session: _find(session, body), work)


async def with_proof(
    request: Request,
    actie: str,
    body: MeldcodeIn,
    find: Callable[[Session], F],
    work: Callable[[Session, F], T],
) -> T:
    """Run ``work`` on what ``find`` returns for this proof or meldcode (``find`` raises
    ``_Unknown`` when there is nothing), within the guessing budget: an unknown code or
    a failing proof counts as a guess and answers 404."""
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
    # What the client presents: the public key of its proof, or an older meldcode.
    code = limiter.code(body.bewijs.sleutel if body.bewijs else (body.meldcode or ""))
    wait = limiter.retry_after(source, code)
    if wait is not None:
        raise _too_many(wait)

    def run() -> T:
        if not _proof_holds(request, actie, body):
            raise _Unknown
        with database.session() as session:
            return work(session, find(session))

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
        berichten: list[MelderBericht] = []
        kop = loket_sleutel = None
        checkin: dict[str, Any] = {}  # check-ins: current meldcodes only (docs/checkin.md)
        if body.meldcode is not None:
            private = _legacy_melder_key(m, body.meldcode, write=False)
            for b in berichten_of(session, m, include_notes=False):
                try:
                    tekst = open_text(m, b, private)
                except SealError:
                    continue
                berichten.append(_bericht(b, tekst=tekst))
        else:
            # The melder's side opens them: the backend has no key for that.
            berichten = [_bericht(b, sealed=b.sealed) for b in berichten_of(session, m, False)]
            kop = m.envelope()
            if m.status != "ingetrokken":
                key = handling_key(session, boek, m)
                loket_sleutel = LoketSleutel(kid=key.kid, public_key=key.public_key)
            checkin = checkin_status(session, m, utcnow())
        record(session, "melder", "melder_status_bekeken", m.id)
        return MelderStatusOut(
            melding_id=m.id,
            loket_naam=boek.loket(m.loket).naam,
            berichten=berichten,
            kop=kop,
            loket_sleutel=loket_sleutel,
            **m.columns(
                "status loket eenheid categorie ontvangen_op termijn_soort bevestigen_voor "
                "terugkoppeling_voor bevestigd_op vastgelegd_op"
            ),
            termijn_label=TERMIJN_LABEL.get(m.termijn_soort, m.termijn_soort),
            **checkin,
            ontvangstbewijs=receipt_out(stored_receipt(session, m.id)),
        )

    return await with_melding(request, "status", body, work)


def _bericht(b: Any, tekst: str | None = None, sealed: Any = None) -> MelderBericht:
    return MelderBericht(
        id=b.id,
        van=b.van,
        soort=b.soort,
        verzonden_op=as_utc(b.verzonden_op),
        tekst=tekst,
        sealed=sealed,
    )


async def _add(
    soort: Literal["bericht", "aanvulling"],
    request: Request,
    body: MelderTekstIn,
    boek: Routeboekje,
) -> MelderActieOut:
    def work(session: Session, m: Melding) -> MelderActieOut:
        if m.status == "ingetrokken":
            raise WITHDRAWN
        now = utcnow()
        if body.meldcode is not None:
            _legacy_melder_key(m, body.meldcode, write=True)
            add_text(session, boek, m, body.tekst or "", "melder", soort, now)
        else:
            assert body.sealed is not None and body.bericht_id is not None  # noqa: S101
            add_sealed_text(session, boek, m, body.bericht_id, body.sealed.stored(), soort, now)
        record(session, "melder", f"melder_{soort}", m.id)
        return MelderActieOut(melding_id=m.id, status=m.status, verzonden_op=now)

    return await with_melding(request, soort if soort == "aanvulling" else "berichten", body, work)


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

    return await with_melding(request, "intrekken", body, work)
