"""The anonymous melder API: status, messages, aanvulling, withdrawal — by meldcode only.

A melder's request is checked in ``with_melding``: the meldcode travels only in
JSON bodies, every lookup computes the slow meldcode hash, and a failing lookup
also waits and counts against an in-memory budget per client (see
docs/security.md). No IP address or user agent is stored or logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from backend.accounts.client_identity import client_identity
from backend.accounts.guess_limiter import GuessLimiter
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
from backend.keys.kdf_gate import kdf_slot
from backend.keys.meldcode_hash import hash_meldcode, meldcode_salt
from backend.storage.clock import as_utc, as_utc_or_none, utcnow
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
    limiter: GuessLimiter = request.app.state.meldcode_limiter
    database = get_database(request)
    client = limiter.client_key(client_identity(request, settings.vertrouwde_proxies))
    wait = limiter.retry_after(client)
    if wait is not None:
        raise _too_many(wait)

    def run() -> T:
        with database.session() as session:
            return work(session, _find(session, meldcode))

    try:
        return await run_in_threadpool(run)
    except _Unknown:
        limiter.failure(client)
        await asyncio.sleep(settings.meldcode_vertraging_ms / 1000)
        raise NOT_FOUND from None


@router.post(
    "/status",
    response_model=MelderStatusOut,
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
            status=m.status,
            loket=m.loket,
            loket_naam=boek.loket(m.loket).naam,
            eenheid=m.eenheid,
            categorie=m.categorie,
            ontvangen_op=as_utc(m.ontvangen_op),
            bevestigen_voor=as_utc(m.bevestigen_voor),
            terugkoppeling_voor=as_utc(m.terugkoppeling_voor),
            bevestigd_op=as_utc_or_none(m.bevestigd_op),
            berichten=berichten,
        )

    return await with_melding(request, body.meldcode, work)


def _add_route(soort: Literal["bericht", "aanvulling"]) -> Any:
    async def add(request: Request, body: MelderTekstIn, boek: RouteboekjeDep) -> MelderActieOut:
        def work(session: Session, m: Melding) -> MelderActieOut:
            if m.status == "ingetrokken":
                raise ApiError(
                    409,
                    "melding_ingetrokken",
                    "Je hebt deze melding ingetrokken. Je kunt er niets meer aan toevoegen.",
                    "This melding was withdrawn; nothing can be added to it.",
                )
            _melder_key(m, body.meldcode)
            now = utcnow()
            add_text(session, boek, m, body.tekst, "melder", soort, now)
            record(session, "melder", f"melder_{soort}", m.id)
            return MelderActieOut(melding_id=m.id, status=m.status, verzonden_op=now)

        return await with_melding(request, body.meldcode, work)

    return add


for _soort, _path, _summary in (
    ("bericht", "berichten", "Reply to the loket (sealed at once to the loket and the melder)"),
    ("aanvulling", "aanvulling", "Add information to the melding (sealed like a message)"),
):
    router.add_api_route(
        f"/{_path}",
        _add_route(_soort),  # type: ignore[arg-type]
        methods=["POST"],
        status_code=201,
        response_model=MelderActieOut,
        summary=_summary,
        responses=_ERRORS,
    )


@router.post(
    "/intrekken",
    response_model=MelderActieOut,
    summary="Withdraw the melding",
    responses=_ERRORS,
)
async def intrekken(request: Request, body: MeldcodeIn) -> MelderActieOut:
    def work(session: Session, m: Melding) -> MelderActieOut:
        if m.status == "afgerond":
            raise ApiError(
                409,
                "melding_afgerond",
                "Deze melding is al afgerond. Intrekken kan niet meer.",
                "This melding is already closed and cannot be withdrawn.",
            )
        if m.status not in EINDSTATUSSEN:
            m.status = "ingetrokken"
            m.ingetrokken_op = utcnow()
            record(session, "melder", "melder_ingetrokken", m.id)
        return MelderActieOut(melding_id=m.id, status=m.status)

    return await with_melding(request, body.meldcode, work)
