"""What every page family shares: templates, the routeboekje, rendering with CSRF.

Server-rendered Jinja templates (autoescaped), no inline scripts or styles, plain
POST forms with CSRF tokens (``backend/pages/csrf.py``).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from backend.pages.config import PagesConfig
from backend.pages.csrf import Csrf
from backend.pages.texts import STATUS_NL, STATUS_UITLEG, VELD_NL, datum, waarde
from backend.routing.routeboekje import Routeboekje

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.autoescape = True
    env.filters["datum"] = datum
    env.filters["datumtijd"] = lambda v: datum(v, met_tijd=True)
    env.filters["waarde"] = waarde
    env.globals.update(STATUS_NL=STATUS_NL, STATUS_UITLEG=STATUS_UITLEG, VELD_NL=VELD_NL)
    return templates


class PageKit:
    def __init__(self, config: PagesConfig, boek: Routeboekje) -> None:
        self.config = config
        self.boek = boek
        self.templates = make_templates()
        self.templates.env.globals.update(
            categorie_naam=boek.categorie_naam,
            loket_naam=boek.loket_naam,
            eenheid_naam=self.eenheid_naam,
        )

    def eenheid_naam(self, code: str) -> str:
        return self.boek.eenheden.get(code, code)  # type: ignore[call-overload,no-any-return]

    def page(self, request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, ctx, status_code=status_code)

    def form_page(
        self, request: Request, csrf: Csrf, name: str, status_code: int = 200, **ctx: Any
    ) -> HTMLResponse:
        """A page with forms: CSRF token in the forms, its cookie set on the response."""
        value = csrf.value(request) or secrets.token_urlsafe(32)
        response = self.page(request, name, status_code, **ctx, csrf_token=csrf.token(value))
        csrf.ensure(request, response, value)
        return response
