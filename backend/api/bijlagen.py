"""Bijlagen over HTTP: the melder uploads sealed chunks, the loket lists and downloads.

Melder side:

* ``POST /api/v1/melder/bijlagen``: signed like every melder request (action
  ``bijlage``); announces one file and returns an upload token for it (the backend
  stores only its hash). ``POST /api/v1/melder/bijlagen/lijst`` (action ``bijlagen``):
  the finished files, manifests still sealed. (Under ``/api/v1/melder`` everything is
  POST without path parameters: no meldcode ever goes in a URL.)
* ``/api/v1/uploads/{id}`` with the header ``X-Bijlage-Token`` (the token, not the
  melder's proof): ``PUT …/delen/{n}`` one chunk of ciphertext, raw bytes, idempotent,
  so a broken upload resumes; ``GET`` lists what arrived; ``POST …/afronden`` size and
  SHA-256 of all ciphertext, then it is part of the melding; ``DELETE`` throws an
  unfinished upload away.

Loket side (``/api/v1/loket/meldingen/{melding_id}/bijlagen``): the list with the
manifests opened in the session, and the download: always ``attachment``,
``application/octet-stream`` and ``nosniff``, never shown inline.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Header, Request, Response
from fastapi import Path as PathParam
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from backend.api.deps import (
    LoginDep,
    RouteboekjeDep,
    SessionDep,
    VisibleMelding,
    get_database,
    session_keys,
)
from backend.api.errors import ApiError
from backend.api.loket import actor
from backend.api.melder import with_melding
from backend.api.schemas.bijlagen import (
    AfrondenIn,
    BijlageNieuwIn,
    BijlagenOut,
    BijlageOut,
    BijlageStandOut,
    BijlageUploadOut,
    MelderBijlage,
    MelderBijlagenOut,
)
from backend.api.schemas.melder import MeldcodeIn
from backend.domain import bijlagen as domain
from backend.domain.audit import record
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import Melding
from envelope.bijlagen import CHUNK_CIPHERTEXT
from envelope.sealing import SealError

BijlageId = Annotated[str, PathParam(min_length=36, max_length=36)]
Token = Annotated[str, Header(alias="X-Bijlage-Token", min_length=20, max_length=100)]

melder_router = APIRouter(prefix="/api/v1/melder/bijlagen", tags=["melder"])
upload_router = APIRouter(prefix="/api/v1/uploads", tags=["melder"])
loket_router = APIRouter(prefix="/api/v1/loket/meldingen", tags=["loket"])

_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown upload, wrong token, or expired"},
    409: {"description": "Conflict (other bytes for a stored chunk, incomplete, mismatch)"},
    413: {"description": "Too large"},
    422: {"description": "Malformed (chunk number or size)"},
}

# Types that can run code or carry macros: the portal warns before downloading them.
RISKANT = re.compile(
    r"\.(exe|msi|bat|cmd|com|scr|pif|ps1|vbs|vbe|js|jse|wsf|hta|jar|sh|app|dmg|apk|lnk|reg|"
    r"html?|svg|docm|dotm|xlsm|xltm|xlam|pptm|potm|ppsm|ppam|sldm)$",
    re.IGNORECASE,
)
RISKANTE_TYPES = ("macroenabled", "x-msdownload", "javascript", "x-sh", "html", "svg")


def waarschuwing(naam: str, mime: str) -> str | None:
    if RISKANT.search(naam.strip()) or any(t in mime.lower() for t in RISKANTE_TYPES):
        return (
            "Let op: dit soort bestand kan programmacode of macro's bevatten. "
            "Open het alleen op een afgeschermde computer."
        )
    return None


# --- melder ---------------------------------------------------------------------------


@melder_router.post(
    "",
    status_code=201,
    summary="Announce a bijlage (signed) and get an upload token for its chunks",
    responses={**_UPLOAD_ERRORS, 429: {"description": "Too many unfinished uploads"}},
)
async def begin(request: Request, body: BijlageNieuwIn, boek: RouteboekjeDep) -> BijlageUploadOut:
    def work(session: Session, m: Melding) -> BijlageUploadOut:
        row, token = domain.begin(
            session,
            boek,
            m,
            body.bijlage_id,
            body.manifest.stored(),
            body.grootte,
            body.delen,
            utcnow(),
        )
        return BijlageUploadOut(
            bijlage_id=row.id,
            token=token,
            deel_grootte=CHUNK_CIPHERTEXT,
            delen=row.delen,
            verloopt_op=as_utc(row.verloopt_op),
        )

    return await with_melding(request, "bijlage", body, work)


@melder_router.post(
    "/lijst",
    summary="The melder's finished bijlagen (signed), manifests still sealed",
    responses={404: {"description": "No melding for this proof"}},
)
async def lijst_melder(request: Request, body: MeldcodeIn) -> MelderBijlagenOut:
    def work(session: Session, m: Melding) -> MelderBijlagenOut:
        return MelderBijlagenOut(
            kop=m.envelope(),
            bijlagen=[
                MelderBijlage(
                    id=row.id,
                    manifest=row.manifest,
                    toegevoegd_op=as_utc(row.afgerond_op) if row.afgerond_op else None,
                )
                for row in domain.complete_of(session, m.id)
            ],
        )

    if body.bewijs is None:
        raise ApiError(
            422,
            "alleen_nieuwe_meldcode",
            "Met deze oudere meldcode kun je geen bijlagen toevoegen.",
            "Bijlagen need a current meldcode (bewijs).",
        )
    return await with_melding(request, "bijlagen", body, work)


async def _with_upload(request: Request, bijlage_id: str, token: str, work: Any) -> Any:
    database = get_database(request)

    def run() -> Any:
        with database.session() as session:
            return work(session, domain.upload(session, bijlage_id, token, utcnow()))

    return await run_in_threadpool(run)


@upload_router.put(
    "/{bijlage_id}/delen/{volgnummer}",
    summary="Store one chunk of ciphertext (raw bytes); the same bytes again are fine",
    responses=_UPLOAD_ERRORS,
)
async def put_deel(
    request: Request,
    bijlage_id: BijlageId,
    volgnummer: Annotated[int, PathParam(ge=0, le=4095)],
    token: Token,
) -> BijlageStandOut:
    data = await request.body()
    if len(data) > CHUNK_CIPHERTEXT:
        raise ApiError(413, "deel_te_groot", "Dit deel is te groot.", "Chunk too large.")

    def work(session: Session, row: Any) -> BijlageStandOut:
        domain.put_chunk(session, row, volgnummer, data)
        return _stand(session, row)

    result: BijlageStandOut = await _with_upload(request, bijlage_id, token, work)
    return result


def _stand(session: Session, row: Any) -> BijlageStandOut:
    return BijlageStandOut(
        bijlage_id=row.id,
        status=row.status,
        delen=row.delen,
        ontvangen=domain.received(session, row),
    )


@upload_router.get(
    "/{bijlage_id}",
    summary="Which chunks of an unfinished upload arrived (to resume)",
    responses=_UPLOAD_ERRORS,
)
async def stand(request: Request, bijlage_id: BijlageId, token: Token) -> BijlageStandOut:
    result: BijlageStandOut = await _with_upload(request, bijlage_id, token, _stand)
    return result


@upload_router.post(
    "/{bijlage_id}/afronden",
    summary="Finish: size and SHA-256 of all ciphertext must match what arrived",
    responses=_UPLOAD_ERRORS,
)
async def afronden(
    request: Request, bijlage_id: BijlageId, token: Token, body: AfrondenIn
) -> BijlageStandOut:
    def work(session: Session, row: Any) -> BijlageStandOut:
        domain.finish(session, row, body.grootte, body.sha256, utcnow())
        record(session, "melder", "melder_bijlage", row.melding_id, bijlage_id=row.id)
        return _stand(session, row)

    result: BijlageStandOut = await _with_upload(request, bijlage_id, token, work)
    return result


@upload_router.delete(
    "/{bijlage_id}",
    status_code=204,
    summary="Throw an unfinished upload away",
    responses=_UPLOAD_ERRORS,
)
async def weggooien(request: Request, bijlage_id: BijlageId, token: Token) -> Response:
    await _with_upload(request, bijlage_id, token, lambda s, row: domain.discard(s, row))
    return Response(status_code=204)


# --- loket ----------------------------------------------------------------------------

_CASE: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in"},
    404: {"description": "Unknown melding or bijlage, or not of your loket"},
}
BIJLAGE_ONBEKEND = ApiError(
    404,
    "bijlage_niet_gevonden",
    "Deze bijlage bestaat niet of hoort niet bij deze melding.",
    "This bijlage does not exist or does not belong to this melding.",
)
BIJLAGE_DICHT = ApiError(
    409,
    "bijlage_niet_te_openen",
    "Deze bijlage kan niet worden geopend met de sleutels van je sessie, of is beschadigd.",
    "This bijlage cannot be opened with this session's keys, or it is damaged.",
)


@loket_router.get(
    "/{melding_id}/bijlagen",
    summary="The bijlagen of a melding (names, types, what metadata was removed)",
    responses=_CASE,
)
def lijst(session: SessionDep, active: LoginDep, m: VisibleMelding) -> BijlagenOut:
    keys = session_keys(active)
    out: list[BijlageOut] = []
    dicht = 0
    for row in domain.complete_of(session, m.id):
        try:
            manifest = domain.open_manifest(m, row, keys)
        except SealError:
            dicht += 1
            continue
        out.append(
            BijlageOut(
                id=row.id,
                naam=manifest.naam,
                type=manifest.type,
                grootte=manifest.grootte,
                verwijderd=manifest.verwijderd,
                let_op=manifest.let_op,
                waarschuwing=waarschuwing(manifest.naam, manifest.type),
                toegevoegd_op=as_utc(row.afgerond_op) if row.afgerond_op else None,
            )
        )
    return BijlagenOut(bijlagen=out, niet_te_openen=dicht)


def veilige_naam(naam: str) -> str:
    """A file name for Content-Disposition: no paths, no control characters."""
    naam = naam.replace("\\", "/").rsplit("/", 1)[-1]
    naam = "".join(ch for ch in naam if unicodedata.category(ch)[0] != "C" and ch not in '";')
    return naam.strip(" .")[:150] or "bijlage"


@loket_router.get(
    "/{melding_id}/bijlagen/{bijlage_id}",
    summary="Download one bijlage, decrypted in this session (always as an attachment)",
    responses={
        **_CASE,
        200: {"content": {"application/octet-stream": {}}},
        409: {"description": "Cannot be opened"},
    },
    response_class=Response,
)
def download(
    session: SessionDep, active: LoginDep, m: VisibleMelding, bijlage_id: BijlageId
) -> Response:
    keys = session_keys(active)
    row = next((b for b in domain.complete_of(session, m.id) if b.id == bijlage_id), None)
    if row is None:
        raise BIJLAGE_ONBEKEND
    try:
        manifest = domain.open_manifest(m, row, keys)
        content = b"".join(domain.plaintext(session, row, manifest))
    except SealError as exc:
        raise BIJLAGE_DICHT from exc
    record(session, actor(active.gebruiker), "bijlage_gedownload", m.id, bijlage_id=row.id)
    naam = veilige_naam(manifest.naam)
    ascii_naam = naam.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_naam}\"; filename*=UTF-8''{quote(naam)}"
            ),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
