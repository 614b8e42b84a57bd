"""The melder's follow-up pages (/volgen): status, messages, reply, aanvulling, withdraw.

They call the melder API in-process (``backend/pages/api_client.py``), so its checks
(meldcode, guessing budget, audit log) apply to the pages too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from backend.pages.api_client import call_api
from backend.pages.csrf import Csrf
from backend.pages.kit import NO_NOTICE, ActieFormDep, Notice, PageKit

VOLGEN_MINUTEN = 30


def volgen_router(kit: PageKit) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    form_page = kit.form_page
    volgen_csrf = Csrf(
        kit.config.secret,
        "mw_volgen",
        "/volgen",
        VOLGEN_MINUTEN * 60,
        secure=kit.config.secure_cookies,
    )

    def volgen_form(
        request: Request, fout: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        return form_page(request, volgen_csrf, "volgen_code.html", status_code, fout=fout)

    @router.get("/volgen", response_class=HTMLResponse)
    def volgen(request: Request) -> HTMLResponse:
        return volgen_form(request)

    async def volgen_status(
        request: Request, meldcode: str, notice: Notice = NO_NOTICE
    ) -> HTMLResponse:
        answer = await call_api(
            request, "POST", "/api/v1/melder/status", json={"meldcode": meldcode}
        )
        if not answer.ok:
            return volgen_form(request, answer.melding_nl, status_code=answer.status)
        data = answer.data
        data["berichten"] = sorted(data["berichten"], key=lambda b: b["verzonden_op"])
        return form_page(
            request,
            volgen_csrf,
            "volgen_status.html",
            notice.status_code,
            m=data,
            meldcode=" ".join(meldcode.split())[:64],
            melding=notice.melding,
            fout=notice.fout,
        )

    def check_volgen(request: Request, token: str) -> HTMLResponse | None:
        fout = "Je formulier was verlopen. Vul je meldcode opnieuw in."
        return kit.refused(
            request, volgen_csrf, token, lambda: volgen_form(request, fout, status_code=403)
        )

    @router.post("/volgen", response_class=HTMLResponse)
    async def volgen_bekijken(
        request: Request,
        meldcode: Annotated[str, Form(max_length=64)] = "",
        csrf: Annotated[str, Form(max_length=128)] = "",
    ) -> HTMLResponse:
        if (refused := check_volgen(request, csrf)) is not None:
            return refused
        if not meldcode.strip():
            return volgen_form(request, "Vul je meldcode in.", status_code=422)
        return await volgen_status(request, meldcode)

    @router.post("/volgen/{actie}", response_class=HTMLResponse)
    async def volgen_actie(
        request: Request,
        actie: Annotated[str, PathParam(pattern="^(bericht|aanvulling|intrekken)$")],
        form: ActieFormDep,
    ) -> HTMLResponse:
        if (refused := check_volgen(request, form.csrf)) is not None:
            return refused
        meldcode, tekst = form.meldcode, form.tekst
        if actie == "intrekken":
            if form.zeker != "ja":
                return await volgen_status(
                    request,
                    meldcode,
                    Notice(
                        fout="Zet eerst een vinkje als je de melding echt wilt intrekken.",
                        status_code=422,
                    ),
                )
            answer = await call_api(
                request, "POST", "/api/v1/melder/intrekken", json={"meldcode": meldcode}
            )
            gelukt = "Je melding is ingetrokken."
        else:
            if not tekst.strip():
                return await volgen_status(
                    request, meldcode, Notice(fout="Je bericht is leeg.", status_code=422)
                )
            path = "/api/v1/melder/berichten" if actie == "bericht" else "/api/v1/melder/aanvulling"
            answer = await call_api(
                request, "POST", path, json={"meldcode": meldcode, "tekst": tekst}
            )
            gelukt = (
                "Je bericht is verstuurd."
                if actie == "bericht"
                else "Je aanvulling is toegevoegd aan je melding."
            )
        if answer.status == 404 or answer.status == 429:
            return volgen_form(request, answer.melding_nl, status_code=answer.status)
        if not answer.ok:
            return await volgen_status(
                request, meldcode, Notice(fout=answer.melding_nl, status_code=answer.status)
            )
        return await volgen_status(request, meldcode, Notice(melding=gelukt))

    return router
