"""The chat pages: the intranet chat (anonymous, or the aspirant onboarding) and "snel weg"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backend.pages.bijlagen_teksten import bijlagen_teksten
from backend.pages.kit import PageKit


def chat_router(kit: PageKit) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    page, config = kit.page, kit.config

    def chat_page(request: Request, modus: str) -> HTMLResponse:
        return page(
            request,
            "chat.html",
            modus=modus,
            start="/onboarding" if modus == "aspirant" else "/greet",
            rasa_url=config.rasa_url,
            bijlagen_teksten=bijlagen_teksten(),  # web/src/bijlagen_chat.js
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

    return router
