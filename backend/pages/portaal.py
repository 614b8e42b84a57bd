"""The loket portal (/portaal): login, inbox with the legal clock, one melding, actions,
statistics.

The portal calls the loket API in-process with the user's token from an HttpOnly
cookie, so every rule of the API (scopes, roles, audit log) applies here too.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backend.domain.casuistiek import PERIODE, recente_perioden
from backend.pages.api_client import ApiAnswer, call_api
from backend.pages.charts import bar_chart
from backend.pages.csrf import Csrf, cookie_secure, sign, verify
from backend.pages.kit import NO_NOTICE, ActieFormDep, Notice, PageKit
from backend.pages.portaal_bijlagen import add_download_route, bijlagen_of
from backend.pages.texts import (
    IDENTITEIT_NL,
    STATUS_NL,
    TERMIJN_NL,
    VELD_NL,
    datum,
    nakoming_label,
    termijn_klok,
    waarde,
)

PORTAAL_COOKIE = "mw_portaal"
WIE_COOKIE = "mw_portaal_wie"  # who is logged in (display only), signed
BINNENKORT = timedelta(days=2)
SESSIE_AFGELOPEN = (
    "Je was een tijd niet actief, of je was al lang ingelogd. "
    "Daarom ben je uitgelogd. Log opnieuw in."
)
STATUS_KNOPPEN = {
    "ontvangen": ("bevestigd",),
    "bevestigd": ("in_behandeling", "afgerond"),
    "in_behandeling": ("afgerond",),
    "doorverwezen": ("bevestigd", "in_behandeling", "afgerond"),
}


def portaal_router(kit: PageKit) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    config, boek, form_page = kit.config, kit.boek, kit.form_page
    categorie_naam, loket_naam, eenheid_naam = (
        boek.categorie_naam,
        boek.loket_naam,
        kit.eenheid_naam,
    )
    # Every portal cookie is a browser-session cookie (no Max-Age): closing the browser
    # ends the login on this computer; the server ends it after the idle or absolute limit.
    portaal_csrf = Csrf(
        config.secret, "mw_portaal_csrf", "/portaal", None, secure=config.secure_cookies
    )

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

    def naar_login(request: Request, verlopen: bool = False) -> Response:
        target = "/portaal/inloggen?verlopen=1" if verlopen else "/portaal/inloggen"
        response = RedirectResponse(target, status_code=303)
        for name in (PORTAAL_COOKIE, WIE_COOKIE):
            response.delete_cookie(name, path="/portaal")
        return response

    def check_portaal(request: Request, token: str) -> Response | None:
        fout = "Het formulier was verlopen. Probeer het opnieuw."
        return kit.refused(
            request,
            portaal_csrf,
            token,
            lambda: portaal_page(request, "portaal_login.html", status_code=403, fout=fout),
        )

    @router.get("/portaal")
    def portaal(request: Request) -> Response:
        target = "/portaal/inbox" if token_of(request) else "/portaal/inloggen"
        return RedirectResponse(target, status_code=303)

    @router.get("/portaal/inloggen", response_class=HTMLResponse)
    def portaal_login(request: Request, verlopen: str = "") -> HTMLResponse:
        melding = SESSIE_AFGELOPEN if verlopen == "1" else None
        return portaal_page(request, "portaal_login.html", melding=melding)

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
        secure = cookie_secure(request, config.secure_cookies)
        response.set_cookie(
            PORTAAL_COOKIE,
            answer.data["token"],
            path="/portaal",
            httponly=True,
            samesite="strict",
            secure=secure,
        )
        # A fresh CSRF value after login (no fixation across the login).
        portaal_csrf.ensure(request, response, secrets.token_urlsafe(32))
        response.set_cookie(
            WIE_COOKIE,
            sign(config.secret, _wie(answer.data["gebruiker"])),
            path="/portaal",
            httponly=True,
            samesite="strict",
            secure=secure,
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
            return naar_login(request, verlopen=True)
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
        rijen = [{**m, "klok": termijn_klok(m, now, BINNENKORT)} for m in answer.data["meldingen"]]
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
            niet_alleen=await niet_alleen_aantal(request),
        )

    # "Niet alleen" (docs/matching.md): the vertrouwenspersoon's possible matches.
    async def niet_alleen_aantal(request: Request) -> int:
        if wie(request)["loket"] != "vertrouwenspersoon":
            return 0
        answer = await api_or_login(request, "GET", "/api/v1/loket/niet-alleen")
        return len(answer.data) if isinstance(answer, ApiAnswer) and answer.ok else 0

    @router.get("/portaal/niet-alleen", response_class=HTMLResponse)
    async def portaal_niet_alleen(request: Request) -> Response:
        answer = await api_or_login(request, "GET", "/api/v1/loket/niet-alleen")
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.ok:
            return fout_page(request, answer)
        return portaal_page(
            request, "portaal_niet_alleen.html", overeenkomsten=answer.data, wie=wie(request)
        )

    async def detail_page(
        request: Request, melding_id: str, notice: Notice = NO_NOTICE
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
            status_code=notice.status_code,
            m=m,
            klok=termijn_klok(m, now, BINNENKORT),
            inhoud=[
                (VELD_NL.get(k, k), _inhoud_waarde(k, v, categorie_naam, loket_naam, eenheid_naam))
                for k, v in m["inhoud"].items()
                if k not in ("schema", "melding_id")
            ],
            identiteit=[  # the name first, then how to reach the melder
                (IDENTITEIT_NL.get(k, k), str(v))
                for k, v in sorted(
                    (m.get("identiteit") or {}).items(),
                    key=lambda kv: [*IDENTITEIT_NL, kv[0]].index(kv[0]),
                )
                if k != "schema"
            ],
            status_knoppen=STATUS_KNOPPEN.get(m["status"], ()),
            doelen=doelen,
            melding=notice.melding,
            fout=notice.fout,
            wie=wie(request),
            bijlagen=await bijlagen_of(request, token_of(request) or "", melding_id),
        )

    add_download_route(router, token_of, naar_login)

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
        form: ActieFormDep,
    ) -> Response:
        if (refused := check_portaal(request, form.csrf)) is not None:
            return refused
        tekst, status, loket = form.tekst, form.status, form.loket
        base = f"/api/v1/loket/meldingen/{melding_id}"
        if actie in ("bericht", "notitie"):
            if not tekst.strip():
                return await detail_page(
                    request, melding_id, Notice(fout="De tekst is leeg.", status_code=422)
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
                json={"loket": loket, "identiteit_meesturen": form.identiteit == "ja"},
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
                request, melding_id, Notice(fout=answer.melding_nl, status_code=answer.status)
            )
        return await detail_page(request, melding_id, Notice(melding=gelukt))

    def periode_param(periode: str) -> dict[str, str]:
        return {"periode": periode} if PERIODE.match(periode) else {}

    @router.get("/portaal/statistiek", response_class=HTMLResponse)
    async def portaal_statistiek(request: Request, periode: str = "") -> Response:
        answer = await api_or_login(
            request, "GET", "/api/v1/loket/statistiek", params=periode_param(periode)
        )
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
            "per_termijn_soort": ("Per soort termijn", lambda s: TERMIJN_NL.get(s, s)),
            "termijn_nakoming": ("Termijnen gehaald, per soort termijn", nakoming_label),
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
            request,
            "portaal_statistiek.html",
            stat=stat,
            grafieken=grafieken,
            perioden=recente_perioden(datetime.now(timezone.utc)),
            wie=wie(request),
        )

    @router.get("/portaal/statistiek.csv")
    async def portaal_statistiek_csv(request: Request, periode: str = "") -> Response:
        params = {"formaat": "csv", **periode_param(periode)}
        answer = await api_or_login(request, "GET", "/api/v1/loket/statistiek", params=params)
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.ok:
            return Response(answer.melding_nl, status_code=answer.status, media_type="text/plain")
        return Response(
            answer.text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="casuistiekoverzicht.csv"'},
        )

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
