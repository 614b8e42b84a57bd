"""The melder's follow-up pages (/volgen): status, messages, reply, aanvulling, withdraw.

A current meldcode (20 characters) is used only in the browser: ``web/src/volgen.js``
derives the melder's keys there, signs its requests to the melder API and opens and
seals the messages; the code never reaches this server. The server-rendered path
below is for older 16-character meldcodes only. It calls the melder API in-process
(``backend/pages/api_client.py``), so its checks (meldcode, guessing budget, audit
log) apply to the pages too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from backend.pages.api_client import call_api
from backend.pages.bijlagen_teksten import bijlagen_teksten
from backend.pages.csrf import Csrf
from backend.pages.kit import NO_NOTICE, ActieFormDep, Notice, PageKit
from backend.pages.teksten import platte_tekst, volgen_termijn
from backend.pages.texts import DATUM_SOORT, STATUS_NL, STATUS_UITLEG
from backend.pages.volgen_checkin import checkin_teksten
from backend.pages.volgen_woorden import volgen_woorden_teksten
from envelope.meldcode import MeldcodeFormatError, is_legacy

VOLGEN_MINUTEN = 30
ALLEEN_IN_BROWSER = (
    "Deze meldcode gebruik je alleen in je browser, met JavaScript aan. "
    "Hij hoort niet bij de server. Zet JavaScript aan en probeer het opnieuw."
)


def _current_code(meldcode: str) -> bool:
    try:
        return not is_legacy(meldcode)
    except MeldcodeFormatError:
        return False


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

    teksten = {
        "status": STATUS_NL,
        "uitleg": STATUS_UITLEG,
        "categorie": {code: kit.boek.categorie_naam(code) for code in kit.boek.categorieen},
        # The clock of the melding's route (termijn_soort), with its sources.
        "termijn": {
            soort: {"tekst": uitleg.tekst, "bron": "; ".join(uitleg.bron_labels)}
            for soort, uitleg in volgen_termijn().items()
        },
        "datum_soort": DATUM_SOORT,
        "checkin": checkin_teksten(),  # check-ins after the melding (docs/checkin.md)
        "bijlagen": bijlagen_teksten(),
        # The ontvangstbewijs download (web/src/ontvangstbewijs.js).
        "bewijs": {
            "downloaden": platte_tekst("bewijs.downloaden"),
            "pdf_mislukt": platte_tekst("bewijs.pdf_mislukt"),
        },
        "vorm": (
            "Een meldcode heeft 20 letters en cijfers (een oudere code 16), of 10 woorden. "
            "Kijk of je hem goed hebt overgenomen."
        ),
        # A bewaarmelding (web/src/volgen_bewaar.js): the sentences, placeholders kept.
        "bewaard": {
            "kop": platte_tekst("volgen_bewaard.kop"),
            "verloopt": platte_tekst("volgen_bewaard.verloopt"),
            "toevoegen_hint": platte_tekst("volgen_bewaard.toevoegen_hint"),
            "versturen": platte_tekst("volgen_bewaard.versturen"),
            "verwijderen": platte_tekst("volgen_bewaard.verwijderen"),
            "toegevoegd": platte_tekst("volgen_bewaard.toegevoegd"),
            "verwijderd": platte_tekst("volgen_bewaard.verwijderd"),
            "verstuurd": platte_tekst("volgen_bewaard.verstuurd"),
        },
        # "Niet alleen" (web/src/volgen_matching.js), sourced in teksten.yml.
        "niet_alleen": {
            "genoemd": platte_tekst("volgen_niet_alleen.genoemd"),
            "overeenkomst": platte_tekst("volgen_niet_alleen.overeenkomst"),
            "gekozen_ja": platte_tekst("volgen_niet_alleen.gekozen_ja"),
            "gekozen_nee": platte_tekst("volgen_niet_alleen.gekozen_nee"),
        },
        "woorden": volgen_woorden_teksten(),  # a meldcode typed in words
    }

    def volgen_form(
        request: Request, fout: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        return form_page(
            request,
            volgen_csrf,
            "volgen_code.html",
            status_code,
            fout=fout,
            volgen_teksten=teksten,
        )

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
        if _current_code(meldcode):  # only sent by hand: not used, not passed on
            return volgen_form(request, ALLEEN_IN_BROWSER, status_code=422)
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
        if _current_code(meldcode):
            return volgen_form(request, ALLEEN_IN_BROWSER, status_code=422)
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
