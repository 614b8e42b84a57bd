"""What every page family shares: templates, the routeboekje, rendering with CSRF.

Server-rendered Jinja templates (autoescaped), no inline scripts or styles, plain
POST forms with CSRF tokens (``backend/pages/csrf.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from backend.pages.config import PagesConfig
from backend.pages.csrf import Csrf, CsrfError
from backend.pages.teksten import tekst, volgen_termijn
from backend.pages.texts import DATUM_SOORT, STATUS_NL, STATUS_UITLEG, VELD_NL, datum, waarde
from backend.routing.routeboekje import Routeboekje


@dataclass(frozen=True)
class Notice:
    """What a page says after an action: a confirmation (melding) or a refusal (fout)."""

    melding: str | None = None
    fout: str | None = None
    status_code: int = 200


NO_NOTICE = Notice()


class ActieForm(BaseModel):
    """The fields an action form on the follow-up page or in the portal may send."""

    csrf: str = Field("", max_length=128)
    tekst: str = Field("", max_length=8000)
    meldcode: str = Field("", max_length=64)  # follow-up page
    zeker: str = Field("", max_length=8)  # follow-up page: withdrawing
    status: str = Field("", max_length=40)  # portal: new status
    loket: str = Field("", max_length=40)  # portal: forward to
    identiteit: str = Field("", max_length=8)  # portal: forward the identity too


ActieFormDep = Annotated[ActieForm, Form()]
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.autoescape = True
    env.filters["datum"] = datum
    env.filters["datumtijd"] = lambda v: datum(v, met_tijd=True)
    env.filters["waarde"] = waarde
    env.globals.update(STATUS_NL=STATUS_NL, STATUS_UITLEG=STATUS_UITLEG, VELD_NL=VELD_NL)
    env.globals["tekst"] = tekst  # the page sentences with their sources (teksten.yml)
    env.globals.update(VOLGEN_TERMIJN=volgen_termijn(), DATUM_SOORT=DATUM_SOORT)
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

    @staticmethod
    def refused(
        request: Request, csrf: Csrf, token: str, expired: Callable[[], HTMLResponse]
    ) -> HTMLResponse | None:
        """None when the form's CSRF token is valid, else the ``expired`` page."""
        try:
            csrf.check(request, token)
        except CsrfError:
            return expired()
        return None
