"""Pages people use, one module per page family: chat, volgen (melder follow-up),
portaal (loket portal), routeboekje. Their security headers are set by
``backend/core/security_headers.py``; CSRF for their forms by ``csrf.py``.
"""

from __future__ import annotations

from fastapi import APIRouter

from backend.pages.bewijs import bewijs_router
from backend.pages.chat import chat_router
from backend.pages.config import PagesConfig
from backend.pages.kit import PageKit
from backend.pages.portaal import portaal_router
from backend.pages.routeboekje import routeboekje_router
from backend.pages.volgen import volgen_router
from backend.routing.routeboekje import Routeboekje, default_routeboekje

__all__ = ["PagesConfig", "pages_router"]


def pages_router(config: PagesConfig, boek: Routeboekje | None = None) -> APIRouter:
    kit = PageKit(config, boek or default_routeboekje())
    router = APIRouter(include_in_schema=False)
    families = (chat_router, volgen_router, portaal_router, routeboekje_router, bewijs_router)
    for family in families:
        router.include_router(family(kit))
    return router
