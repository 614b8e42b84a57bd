"""Pages people use: intranet chat, melder follow-up, loket portal, routeboekje.

Wire into the backend with one line at the end of ``create_app`` (before
``return app``)::

    install_pages(app, settings)

It is idempotent: calling it twice changes nothing.
"""

from __future__ import annotations

from fastapi import FastAPI

from backend.core.config import Settings
from backend.pages.routes import PagesConfig, pages_router
from backend.pages.security import PageHeaders, PagesSecurityMiddleware

__all__ = ["PagesConfig", "install_pages", "pages_router"]

# Routes of the page layer that replace the bare chat page of backend/app.py.
_PAGE_PATHS = {"/chat"}


def install_pages(app: FastAPI, settings: Settings, config: PagesConfig | None = None) -> FastAPI:
    """Add the page routes (taking precedence over the old /chat) and their headers."""
    if getattr(app.state, "pages_installed", False):
        return app
    config = config or PagesConfig.from_env(rasa_url=settings.rasa_url)
    before = len(app.router.routes)
    app.include_router(pages_router(config))
    ours = app.router.routes[before:]
    rest = [r for r in app.router.routes[:before] if getattr(r, "path", None) not in _PAGE_PATHS]
    app.router.routes[:] = [*ours, *rest]
    # Added last = outermost: it has the final word on the page headers.
    app.add_middleware(
        PagesSecurityMiddleware,
        headers=PageHeaders(config.rasa_url, config.chat_frame_ancestors),
    )
    app.state.pages_installed = True
    return app
