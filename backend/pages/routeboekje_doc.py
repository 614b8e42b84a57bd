"""The printable routeboekje per eenheid, built from the routeboekje data.

The same YAML that drives the bot and the routing advice (backend/data/
routeboekje.yaml) fills an accessible HTML page and a PDF (WeasyPrint). The PDF
is rendered from the same template with print CSS; WeasyPrint may read only
our own stylesheet (no network).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend.routeboekje import Routeboekje

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

KERNWAARDEN: tuple[tuple[str, str], ...] = (
    (
        "Integer",
        "Je doet wat juist is, ook als niemand kijkt. Je gebruikt je bevoegdheden en "
        "de politiesystemen alleen voor je werk.",
    ),
    (
        "Betrouwbaar",
        "Collega's en burgers kunnen op je rekenen. Je doet wat je zegt en je gaat "
        "zorgvuldig om met informatie.",
    ),
    (
        "Moedig",
        "Je zegt het als iets niet goed gaat. Iets melden is moeilijk, en daarom ook moedig.",
    ),
    (
        "Verbindend",
        "Je behandelt iedereen met respect. Je zorgt dat iedereen erbij hoort, in je "
        "team en daarbuiten.",
    ),
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
    }


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
        "kernwaarden": KERNWAARDEN,
        "eenheid_regel": regel.toelichting if regel is not None else None,
        "versie": boek.versie,
    }


def all_codes() -> set[str]:
    return {c for _, _, codes in SECTIES for c in codes} | {NOODHULP}


def html_to_pdf(html: str) -> bytes:
    """Render the page HTML to PDF with WeasyPrint; only our own CSS is loaded."""
    from weasyprint import CSS, HTML, default_url_fetcher

    def fetcher(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
        # Refuse everything but the bundled static files: no network, no file system.
        prefix = "file://" + str(STATIC_DIR) + "/"
        if url.startswith(prefix) and ".." not in url:
            return default_url_fetcher(url, timeout, ssl_context)  # type: ignore[no-any-return]
        raise ValueError("external resources are not loaded")

    base = STATIC_DIR.as_uri() + "/"
    html = html.replace('href="/static/', 'href="' + base)
    stylesheet = CSS(filename=str(STATIC_DIR / "routeboekje.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=base, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])  # type: ignore[no-any-return]
