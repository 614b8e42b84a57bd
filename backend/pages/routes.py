"""Page routes: intranet chat, melder follow-up, loket portal, routeboekje.

Server-rendered Jinja templates (autoescaped), no inline scripts or styles,
plain POST forms with CSRF tokens. The follow-up page and the portal call the
JSON API in-process (backend/pages/api_client.py), so every rule of the API
(rate limits, scopes, audit log) applies to the pages too.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from backend.pages import routeboekje_doc
from backend.pages.api_client import ApiAnswer, call_api
from backend.pages.charts import bar_chart
from backend.pages.security import Csrf, CsrfError, parse_origins, sign, verify
from backend.pages.texts import (
    STATUS_NL,
    STATUS_UITLEG,
    VELD_NL,
    datum,
    waarde,
    wettelijke_klok,
)
from backend.routing.codes import EENHEDEN
from backend.routing.routeboekje import Routeboekje, default_routeboekje

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
VOLGEN_MINUTEN = 30
PORTAAL_COOKIE = "mw_portaal"
WIE_COOKIE = "mw_portaal_wie"  # who is logged in (display only), signed
BINNENKORT = timedelta(days=2)
STATUS_KNOPPEN = {
    "ontvangen": ("bevestigd",),
    "bevestigd": ("in_behandeling", "afgerond"),
    "in_behandeling": ("afgerond",),
    "doorverwezen": ("bevestigd", "in_behandeling", "afgerond"),
}


class PagesConfig:
    """Settings of the pages, from the environment."""

    def __init__(
        self,
        rasa_url: str,
        secret: bytes | None = None,
        chat_frame_ancestors: tuple[str, ...] = (),
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.secret = secret or secrets.token_bytes(32)
        self.chat_frame_ancestors = chat_frame_ancestors

    @classmethod
    def from_env(cls, rasa_url: str | None = None) -> PagesConfig:
        secret = os.environ.get("MELDWIJZER_PAGES_SECRET")
        return cls(
            rasa_url=rasa_url or os.environ.get("MELDWIJZER_RASA_URL", "http://localhost:5005"),
            secret=secret.encode() if secret else None,
            chat_frame_ancestors=parse_origins(
                os.environ.get("MELDWIJZER_CHAT_FRAME_ANCESTORS", "")
            ),
        )


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.autoescape = True
    env.filters["datum"] = datum
    env.filters["datumtijd"] = lambda v: datum(v, met_tijd=True)
    env.filters["waarde"] = waarde
    env.globals.update(STATUS_NL=STATUS_NL, STATUS_UITLEG=STATUS_UITLEG, VELD_NL=VELD_NL)
    return templates


def pages_router(config: PagesConfig, boek: Routeboekje | None = None) -> APIRouter:
    boek = boek or default_routeboekje()
    templates = _templates()
    router = APIRouter(include_in_schema=False)
    volgen_csrf = Csrf(config.secret, "mw_volgen", "/volgen", VOLGEN_MINUTEN * 60)
    portaal_csrf = Csrf(config.secret, "mw_portaal_csrf", "/portaal", 12 * 3600)

    def page(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)

    def form_page(
        request: Request, csrf: Csrf, name: str, status_code: int = 200, **ctx: Any
    ) -> HTMLResponse:
        """A page with forms: CSRF token in the forms, its cookie set on the response."""
        value = csrf.value(request) or secrets.token_urlsafe(32)
        response = page(request, name, status_code, **ctx, csrf_token=csrf.token(value))
        csrf.ensure(request, response, value)
        return response

    def categorie_naam(code: str) -> str:
        try:
            return boek.categorie(code).kort
        except KeyError:
            return code

    def loket_naam(code: str) -> str:
        try:
            return boek.loket(code).naam
        except KeyError:
            return code

    def eenheid_naam(code: str) -> str:
        return boek.eenheden.get(code, code)  # type: ignore[call-overload,no-any-return]

    templates.env.globals.update(
        categorie_naam=categorie_naam, loket_naam=loket_naam, eenheid_naam=eenheid_naam
    )

    # --- chat ---------------------------------------------------------------------------

    def chat_page(request: Request, modus: str) -> HTMLResponse:
        return page(
            request,
            "chat.html",
            modus=modus,
            start="/onboarding" if modus == "aspirant" else "/greet",
            rasa_url=config.rasa_url,
        )

    @router.get("/chat", response_class=HTMLResponse)
    def chat(request: Request) -> HTMLResponse:
        return chat_page(request, "anoniem")

    @router.get("/chat/aspirant", response_class=HTMLResponse)
    def chat_aspirant(request: Request) -> HTMLResponse:
        return chat_page(request, "aspirant")

    @router.get("/weg", response_class=HTMLResponse)
    def weg(request: Request) -> HTMLResponse:
        return page(request, "weg.html")

    # --- melder follow-up ---------------------------------------------------------------

    def volgen_form(
        request: Request, fout: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        return form_page(request, volgen_csrf, "volgen_code.html", status_code, fout=fout)

    @router.get("/volgen", response_class=HTMLResponse)
    def volgen(request: Request) -> HTMLResponse:
        return volgen_form(request)

    async def volgen_status(
        request: Request,
        meldcode: str,
        melding: str | None = None,
        fout: str | None = None,
        status_code: int = 200,
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
            status_code,
            m=data,
            meldcode=" ".join(meldcode.split())[:64],
            melding=melding,
            fout=fout,
        )

    def check_volgen(request: Request, token: str) -> HTMLResponse | None:
        try:
            volgen_csrf.check(request, token)
        except CsrfError:
            return volgen_form(
                request,
                "Je formulier was verlopen. Vul je meldcode opnieuw in.",
                status_code=403,
            )
        return None

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
        meldcode: Annotated[str, Form(max_length=64)] = "",
        csrf: Annotated[str, Form(max_length=128)] = "",
        tekst: Annotated[str, Form(max_length=8000)] = "",
        zeker: Annotated[str, Form(max_length=8)] = "",
    ) -> HTMLResponse:
        if (refused := check_volgen(request, csrf)) is not None:
            return refused
        if actie == "intrekken":
            if zeker != "ja":
                return await volgen_status(
                    request,
                    meldcode,
                    fout="Zet eerst een vinkje als je de melding echt wilt intrekken.",
                    status_code=422,
                )
            answer = await call_api(
                request, "POST", "/api/v1/melder/intrekken", json={"meldcode": meldcode}
            )
            gelukt = "Je melding is ingetrokken."
        else:
            if not tekst.strip():
                return await volgen_status(
                    request, meldcode, fout="Je bericht is leeg.", status_code=422
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
                request, meldcode, fout=answer.melding_nl, status_code=answer.status
            )
        return await volgen_status(request, meldcode, melding=gelukt)

    # --- loket portal -------------------------------------------------------------------

    def token_of(request: Request) -> str | None:
        value = request.cookies.get(PORTAAL_COOKIE)
        if value and len(value) <= 256 and value.isprintable():
            return value
        return None

    def portaal_page(
        request: Request, name: str, status_code: int = 200, **ctx: Any
    ) -> HTMLResponse:
        return form_page(request, portaal_csrf, name, status_code, **ctx)

    def fout_page(request: Request, answer: ApiAnswer) -> HTMLResponse:
        """The API's refusal, in Dutch, with its status code."""
        return portaal_page(
            request,
            "portaal_fout.html",
            status_code=answer.status,
            fout=answer.melding_nl,
            wie=wie(request),
        )

    def naar_login(request: Request) -> Response:
        response = RedirectResponse("/portaal/inloggen", status_code=303)
        for name in (PORTAAL_COOKIE, WIE_COOKIE):
            response.delete_cookie(name, path="/portaal")
        return response

    def check_portaal(request: Request, token: str) -> Response | None:
        try:
            portaal_csrf.check(request, token)
        except CsrfError:
            return portaal_page(
                request,
                "portaal_login.html",
                status_code=403,
                fout="Het formulier was verlopen. Probeer het opnieuw.",
            )
        return None

    @router.get("/portaal")
    def portaal(request: Request) -> Response:
        target = "/portaal/inbox" if token_of(request) else "/portaal/inloggen"
        return RedirectResponse(target, status_code=303)

    @router.get("/portaal/inloggen", response_class=HTMLResponse)
    def portaal_login(request: Request) -> HTMLResponse:
        return portaal_page(request, "portaal_login.html")

    @router.post("/portaal/inloggen")
    async def portaal_login_post(
        request: Request,
        naam: Annotated[str, Form(max_length=80)] = "",
        wachtwoord: Annotated[str, Form(max_length=1024)] = "",
        csrf: Annotated[str, Form(max_length=128)] = "",
    ) -> Response:
        if (refused := check_portaal(request, csrf)) is not None:
            return refused
        if not naam or not wachtwoord:
            return portaal_page(
                request,
                "portaal_login.html",
                status_code=422,
                fout="Vul je naam en je wachtwoord in.",
                naam=naam,
            )
        answer = await call_api(
            request, "POST", "/api/v1/loket/login", json={"naam": naam, "wachtwoord": wachtwoord}
        )
        if not answer.ok:
            return portaal_page(
                request,
                "portaal_login.html",
                status_code=answer.status,
                fout=answer.melding_nl,
                naam=naam,
            )
        response = RedirectResponse("/portaal/inbox", status_code=303)
        verloopt = datetime.fromisoformat(answer.data["verloopt_op"].replace("Z", "+00:00"))
        if verloopt.tzinfo is None:
            verloopt = verloopt.replace(tzinfo=timezone.utc)
        max_age = max(60, int((verloopt - datetime.now(timezone.utc)).total_seconds()))
        response.set_cookie(
            PORTAAL_COOKIE,
            answer.data["token"],
            max_age=max_age,
            path="/portaal",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        # A fresh CSRF value after login (no fixation across the login).
        portaal_csrf.ensure(request, response, secrets.token_urlsafe(32))
        response.set_cookie(
            WIE_COOKIE,
            sign(config.secret, _wie(answer.data["gebruiker"])),
            max_age=max_age,
            path="/portaal",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    def wie(request: Request) -> dict[str, str]:
        raw = verify(config.secret, request.cookies.get(WIE_COOKIE, "")) or ""
        parts = raw.split("|")
        if len(parts) != 4:
            return {"naam": "", "loket": "", "eenheid": "", "rol": ""}
        return dict(zip(("naam", "loket", "eenheid", "rol"), parts, strict=True))

    @router.post("/portaal/uitloggen")
    async def portaal_logout(
        request: Request, csrf: Annotated[str, Form(max_length=128)] = ""
    ) -> Response:
        if (refused := check_portaal(request, csrf)) is not None:
            return refused
        token = token_of(request)
        if token:
            await call_api(request, "POST", "/api/v1/loket/logout", token=token)
        response = RedirectResponse("/portaal/inloggen", status_code=303)
        for name in (PORTAAL_COOKIE, WIE_COOKIE, portaal_csrf.cookie):
            response.delete_cookie(name, path="/portaal")
        return response

    async def api_or_login(
        request: Request, method: str, path: str, **kwargs: Any
    ) -> ApiAnswer | Response:
        token = token_of(request)
        if token is None:
            return naar_login(request)
        answer = await call_api(request, method, path, token=token, **kwargs)
        if answer.status == 401:
            return naar_login(request)
        return answer

    @router.get("/portaal/inbox", response_class=HTMLResponse)
    async def portaal_inbox(request: Request, filter: str = "") -> Response:
        params: dict[str, Any] = {}
        if filter in ("te_laat", "binnenkort"):
            params["termijn"] = filter
            params["binnen_dagen"] = BINNENKORT.days
        elif filter == "open":
            params["alleen_open"] = "true"
        else:
            filter = ""
        answer = await api_or_login(request, "GET", "/api/v1/loket/meldingen", params=params)
        if not isinstance(answer, ApiAnswer):
            return answer
        now = datetime.now(timezone.utc)
        rijen = [
            {**m, "klok": wettelijke_klok(m, now, BINNENKORT)} for m in answer.data["meldingen"]
        ]
        tellers = {
            staat: sum(1 for r in rijen if r["klok"].staat == staat)
            for staat in ("te_laat", "binnenkort")
        }
        return portaal_page(
            request,
            "portaal_inbox.html",
            rijen=rijen,
            filter=filter,
            tellers=tellers,
            wie=wie(request),
        )

    async def detail_page(
        request: Request,
        melding_id: str,
        melding: str | None = None,
        fout: str | None = None,
        status_code: int = 200,
    ) -> Response:
        answer = await api_or_login(request, "GET", f"/api/v1/loket/meldingen/{melding_id}")
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.ok:
            return fout_page(request, answer)
        m = answer.data
        now = datetime.now(timezone.utc)
        doelen = [
            (code, lk.naam)
            for code, lk in boek.loketten.items()
            if lk.ontvangt_digitaal and code != m["loket"]
        ]
        return portaal_page(
            request,
            "portaal_melding.html",
            status_code=status_code,
            m=m,
            klok=wettelijke_klok(m, now, BINNENKORT),
            inhoud=[
                (VELD_NL.get(k, k), _inhoud_waarde(k, v, categorie_naam, loket_naam, eenheid_naam))
                for k, v in m["inhoud"].items()
                if k not in ("schema", "melding_id")
            ],
            status_knoppen=STATUS_KNOPPEN.get(m["status"], ()),
            doelen=doelen,
            melding=melding,
            fout=fout,
            wie=wie(request),
        )

    @router.get("/portaal/melding/{melding_id}", response_class=HTMLResponse)
    async def portaal_melding(
        request: Request, melding_id: Annotated[str, PathParam(max_length=36)]
    ) -> Response:
        return await detail_page(request, melding_id)

    @router.post("/portaal/melding/{melding_id}/{actie}")
    async def portaal_actie(
        request: Request,
        melding_id: Annotated[str, PathParam(max_length=36)],
        actie: Annotated[str, PathParam(pattern="^(bericht|notitie|status|doorsturen)$")],
        csrf: Annotated[str, Form(max_length=128)] = "",
        tekst: Annotated[str, Form(max_length=8000)] = "",
        status: Annotated[str, Form(max_length=40)] = "",
        loket: Annotated[str, Form(max_length=40)] = "",
        identiteit: Annotated[str, Form(max_length=8)] = "",
    ) -> Response:
        if (refused := check_portaal(request, csrf)) is not None:
            return refused
        base = f"/api/v1/loket/meldingen/{melding_id}"
        if actie in ("bericht", "notitie"):
            if not tekst.strip():
                return await detail_page(
                    request, melding_id, fout="De tekst is leeg.", status_code=422
                )
            path = f"{base}/berichten" if actie == "bericht" else f"{base}/notities"
            answer = await api_or_login(request, "POST", path, json={"tekst": tekst})
            gelukt = (
                "Je bericht aan de melder is verstuurd."
                if actie == "bericht"
                else "Je notitie is opgeslagen."
            )
        elif actie == "status":
            answer = await api_or_login(request, "POST", f"{base}/status", json={"status": status})
            gelukt = f"De status is nu: {STATUS_NL.get(status, status)}."
        else:
            answer = await api_or_login(
                request,
                "POST",
                f"{base}/doorsturen",
                json={"loket": loket, "identiteit_meesturen": identiteit == "ja"},
            )
            gelukt = f"De melding is doorgestuurd naar {loket_naam(loket)}."
            if isinstance(answer, ApiAnswer) and answer.ok:
                # The melding now belongs to another loket: back to the inbox.
                return portaal_page(
                    request,
                    "portaal_fout.html",
                    fout=None,
                    melding=gelukt,
                    wie=wie(request),
                )
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.ok:
            return await detail_page(
                request, melding_id, fout=answer.melding_nl, status_code=answer.status
            )
        return await detail_page(request, melding_id, melding=gelukt)

    @router.get("/portaal/statistiek", response_class=HTMLResponse)
    async def portaal_statistiek(request: Request) -> Response:
        answer = await api_or_login(request, "GET", "/api/v1/loket/statistiek")
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.ok:
            return fout_page(request, answer)
        stat = answer.data
        namen: dict[str, tuple[str, Callable[[str], str]]] = {
            "per_categorie": ("Per situatie", categorie_naam),
            "per_loket": ("Per loket", loket_naam),
            "per_eenheid": ("Per eenheid", eenheid_naam),
            "per_maand": ("Per maand", str),
            "per_status": ("Per status", lambda s: STATUS_NL.get(s, s)),
        }
        grafieken = [
            {
                "id": key,
                "titel": titel,
                "svg": bar_chart(titel, [(label(c["waarde"]), c["aantal"]) for c in stat[key]]),
                "cellen": [(label(c["waarde"]), c["aantal"]) for c in stat[key]],
            }
            for key, (titel, label) in namen.items()
        ]
        return portaal_page(
            request, "portaal_statistiek.html", stat=stat, grafieken=grafieken, wie=wie(request)
        )

    @router.get("/portaal/statistiek.csv")
    async def portaal_statistiek_csv(request: Request) -> Response:
        answer = await api_or_login(
            request, "GET", "/api/v1/loket/statistiek", params={"formaat": "csv"}
        )
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.ok:
            return Response(answer.melding_nl, status_code=answer.status, media_type="text/plain")
        return Response(
            answer.text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="casuistiekoverzicht.csv"'},
        )

    # --- routeboekje --------------------------------------------------------------------

    @router.get("/routeboekje", response_class=HTMLResponse)
    def routeboekje_index(request: Request) -> HTMLResponse:
        return page(
            request,
            "routeboekje_index.html",
            eenheden=[(code, boek.eenheid_naam(code)) for code in EENHEDEN],
        )

    @router.get("/routeboekje/{eenheid}.pdf")
    def routeboekje_pdf(request: Request, eenheid: str) -> Response:
        if eenheid not in EENHEDEN:
            return page(request, "niet_gevonden.html", status_code=404)
        pdf = routeboekje_pdf_bytes(templates, boek, eenheid)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="routeboekje-{eenheid}.pdf"'},
        )

    @router.get("/routeboekje/{eenheid}", response_class=HTMLResponse)
    def routeboekje(request: Request, eenheid: str) -> HTMLResponse:
        if eenheid not in EENHEDEN:
            return page(request, "niet_gevonden.html", status_code=404)
        return page(request, "routeboekje.html", **routeboekje_doc.context(boek, eenheid))

    return router


def _wie(gebruiker: dict[str, Any]) -> str:
    def clean(value: Any) -> str:
        return "".join(ch for ch in str(value) if ch.isalnum() or ch in "._-")[:80]

    return "|".join(clean(gebruiker.get(k, "")) for k in ("naam", "loket", "eenheid", "rol"))


def _inhoud_waarde(key: str, value: Any, categorie: Any, loket: Any, eenheid: Any) -> str:
    if key == "categorie":
        return str(categorie(value))
    if key == "loket":
        return str(loket(value))
    if key == "eenheid":
        return str(eenheid(value))
    if key == "aangemaakt_op":
        return datum(value, met_tijd=True)
    return waarde(value)


def routeboekje_html(templates: Jinja2Templates, boek: Routeboekje, eenheid: str, pdf: bool) -> str:
    ctx = routeboekje_doc.context(boek, eenheid)
    return templates.get_template("routeboekje.html").render({**ctx, "pdf": pdf, "request": None})


def routeboekje_pdf_bytes(templates: Jinja2Templates, boek: Routeboekje, eenheid: str) -> bytes:
    return routeboekje_doc.html_to_pdf(routeboekje_html(templates, boek, eenheid, pdf=True))


def make_templates() -> Jinja2Templates:
    return _templates()
