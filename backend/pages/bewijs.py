"""The ontvangstbewijs pages: check a receipt (/bewijs/controleren) and its PDF (/bewijs/pdf).

Both store nothing and need no login: the check reads public keys and the audit log,
the PDF is rendered from a posted receipt after it was checked (a forged or changed
receipt gets no PDF). No CSRF token: neither changes anything, so a forged request
gains nothing. The receipt format: docs/ontvangstbewijs.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from backend.api.deps import get_database
from backend.api.errors import ApiError
from backend.domain.ontvangstbewijs import Uitslag, check, parse
from backend.keys.bewijssleutel import aangemaakt, public_keys
from backend.pages.kit import PageKit
from backend.pages.routeboekje import html_to_pdf
from backend.pages.teksten import platte_tekst

MAX_BESTAND = 64 * 1024  # a receipt is well under 2 KB
CONTROLEREN = "/bewijs/controleren"


def uitslag_nl(code: str) -> str:
    """The Dutch text of a check's outcome (``Uitslag.code``), as the melder reads it."""
    return {
        "geldig": platte_tekst("bewijs.geldig"),
        "vorm": platte_tekst("bewijs.vorm"),
        "sleutel_onbekend": platte_tekst("bewijs.sleutel_onbekend"),
        "handtekening": platte_tekst("bewijs.handtekening"),
    }[code]


def bewijs_html(kit: PageKit, uitslag: Uitslag, adres: str) -> str:
    """The one-page PDF's HTML of a checked receipt (bewijs_pdf.html)."""
    velden = uitslag.velden
    return kit.templates.get_template("bewijs_pdf.html").render(
        {
            "request": None,
            "b": velden,
            "adres": adres,
            "loket": kit.boek.loket_naam(velden["loket"]),
            "eenheid": kit.eenheid_naam(velden["eenheid"]),
        }
    )


def bewijs_router(kit: PageKit) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def sleutels(request: Request) -> list[dict[str, Any]]:
        with get_database(request).session() as session:
            rows = sorted(public_keys(session).values(), key=aangemaakt)
            return [
                {"kid": r.kid, "public_key": r.public_key, "actief": r.actief, "op": aangemaakt(r)}
                for r in rows
            ]

    def controle_page(
        request: Request,
        uitslag: Uitslag | None = None,
        fout: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        return kit.page(
            request,
            "bewijs_controleren.html",
            status_code,
            uitslag=uitslag,
            reden=uitslag_nl(uitslag.code) if uitslag else None,
            fout=fout,
            sleutels=sleutels(request),
        )

    @router.get(CONTROLEREN, response_class=HTMLResponse)
    def controleren(request: Request) -> HTMLResponse:
        return controle_page(request)

    @router.post(CONTROLEREN, response_class=HTMLResponse)
    async def controleren_post(
        request: Request,
        bewijs: Annotated[str, Form(max_length=MAX_BESTAND)] = "",
        bestand: Annotated[UploadFile | None, File()] = None,
    ) -> HTMLResponse:
        data: bytes | str = bewijs.strip()
        if bestand is not None and bestand.filename:
            data = await bestand.read(MAX_BESTAND + 1)
        if not data:
            return controle_page(request, fout=platte_tekst("bewijs.leeg"), status_code=422)
        if len(data) > MAX_BESTAND:
            return controle_page(request, fout=platte_tekst("bewijs.geen_json"), status_code=422)
        try:
            ontvangen = parse(data)
        except ValueError:
            return controle_page(request, fout=platte_tekst("bewijs.geen_json"), status_code=422)
        with get_database(request).session() as session:
            uitslag = check(session, ontvangen)
        return controle_page(request, uitslag=uitslag, status_code=200 if uitslag.geldig else 422)

    @router.post("/bewijs/pdf")
    def pdf(request: Request, bewijs: Annotated[dict[str, Any], Body()]) -> Response:
        with get_database(request).session() as session:
            uitslag = check(session, bewijs)
        if not uitslag.geldig:
            raise ApiError(422, "bewijs_ongeldig", uitslag_nl(uitslag.code), uitslag.reason_en)
        adres = str(request.base_url).rstrip("/") + CONTROLEREN
        html = bewijs_html(kit, uitslag, adres)
        naam = f"ontvangstbewijs-{uitslag.velden['melding_id'][:8]}.pdf"
        return Response(
            html_to_pdf(html),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{naam}"'},
        )

    return router
