"""The routeboekje pages: the printable routeboekje per eenheid (HTML and PDF).

The same YAML that drives the bot and the routing advice (backend/data/
routeboekje.yaml) fills an accessible HTML page and a PDF (WeasyPrint). The PDF
is rendered from the same template with print CSS; WeasyPrint may read only
our own stylesheet (no network).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from backend.pages.bronnen import bron_regel
from backend.pages.kit import PageKit
from backend.pages.teksten import tekst, teksten
from backend.routing.codes import EENHEDEN
from backend.routing.routeboekje import LOKET_TEKSTVELDEN, Routeboekje

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"

# Sections of the booklet; every loket of CONTRACT §2 appears exactly once.
SECTIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "praten",
        "Eerst in vertrouwen praten",
        ("vertrouwenspersoon", "vertrouwenspersoon_integriteit"),
    ),
    (
        "melden",
        "Melden, klagen of onderzoek vragen",
        ("vik", "klachtencommissie", "meldpunt_misstanden", "ombudsfunctionaris", "udr_kernteam"),
    ),
    ("lijn", "In je eigen organisatie", ("leidinggevende", "hr_adviseur", "team_vgw")),
    (
        "zorg",
        "Zorg en steun",
        (
            "collegiale_ondersteuning",
            "bedrijfsmaatschappelijk_werk",
            "geestelijk_verzorger",
            "sociaal_loket",
            "bedrijfsarts",
            "netwerk_divers_vakmanschap",
        ),
    ),
    ("buiten", "Buiten de organisatie", ("politiebond",)),
)
NOODHULP = "noodhulp"

KERNWAARDEN = ("integer", "betrouwbaar", "moedig", "verbindend")  # teksten.yml "kernwaarden.*"
# The page sentences of the booklet (backend/pages/teksten.yml) whose sources it shows.
BOEKJE_TEKSTEN = (
    "routeboekje.intro_veilig",
    "routeboekje.intro_boekje",
    "routeboekje.intro_moedig",
    "routeboekje.meldwijzer",
    "routeboekje.gesprek_teamleiding",
)


def loket_info(boek: Routeboekje, code: str, eenheid: str) -> dict[str, Any]:
    loket = boek.loket(code)
    return {
        "code": code,
        "naam": loket.naam,
        "wat_doet": loket.wat_doet,
        "wanneer": loket.wanneer,
        "wat_gebeurt_er": loket.wat_gebeurt_er,
        "onderzoekt": loket.onderzoekt,
        "ontvangt_digitaal": loket.ontvangt_digitaal,
        "anoniem_mogelijk": loket.anoniem_mogelijk,
        "anoniem_uitleg": loket.anoniem_uitleg,
        "landelijk": loket.niveau == "landelijk",
        "contact": boek.contact_voor(code, eenheid),
        "bron": bron_regel(r for veld in LOKET_TEKSTVELDEN for r in loket.bronnen[veld]),
    }


def pagina_bron(*keys: str) -> list[str]:
    """The "Bron" labels of page sentences of backend/pages/teksten.yml."""
    return bron_regel(ref for key in keys for ref in teksten()[key].bronnen)


def context(boek: Routeboekje, eenheid: str) -> dict[str, Any]:
    """Everything the routeboekje template needs for one eenheid."""
    naam = boek.eenheid_naam(eenheid)
    secties = [
        {"id": sid, "titel": titel, "loketten": [loket_info(boek, c, eenheid) for c in codes]}
        for sid, titel, codes in SECTIES
    ]
    regel = boek.eenheid_regels.get(eenheid)  # type: ignore[call-overload]
    return {
        "eenheid": eenheid,
        "eenheid_naam": naam,
        "secties": secties,
        "noodhulp": loket_info(boek, NOODHULP, eenheid),
        "kernwaarden": [(naam.capitalize(), tekst(f"kernwaarden.{naam}")) for naam in KERNWAARDEN],
        "kernwaarden_bron": pagina_bron(*(f"kernwaarden.{naam}" for naam in KERNWAARDEN)),
        "boekje_bron": pagina_bron(*BOEKJE_TEKSTEN),
        "eenheid_regel": regel.toelichting if regel is not None else None,
        "eenheid_regel_bron": bron_regel(regel.bronnen["toelichting"]) if regel else [],
        "versie": boek.versie,
    }


def all_codes() -> set[str]:
    return {c for _, _, codes in SECTIES for c in codes} | {NOODHULP}


def html_to_pdf(html: str) -> bytes:
    """Render the page HTML to PDF with WeasyPrint; only our own CSS is loaded."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    prefix = STATIC_DIR.as_uri() + "/"

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """Refuse everything but the bundled static files: no network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(prefix) or ".." in url:
                raise ValueError("external resources are not loaded")
            return super().fetch(url, headers)

    html = html.replace('href="/static/', 'href="' + prefix)
    document = HTML(string=html, base_url=prefix, url_fetcher=LocalOnly(allowed_protocols=["file"]))
    return document.write_pdf()  # type: ignore[no-any-return]


def routeboekje_html(templates: Jinja2Templates, boek: Routeboekje, eenheid: str, pdf: bool) -> str:
    ctx = context(boek, eenheid)
    return templates.get_template("routeboekje.html").render({**ctx, "pdf": pdf, "request": None})


def routeboekje_pdf_bytes(templates: Jinja2Templates, boek: Routeboekje, eenheid: str) -> bytes:
    return html_to_pdf(routeboekje_html(templates, boek, eenheid, pdf=True))


def routeboekje_router(kit: PageKit) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    page, boek, templates = kit.page, kit.boek, kit.templates

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
        return page(request, "routeboekje.html", **context(boek, eenheid))

    return router
