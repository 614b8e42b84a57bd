"""The Meldwijzer backend: ``create_app`` wires settings, database, API, pages and headers.

What each part does lives in its package: ``api/`` (HTTP routes), ``domain/``
(meldingen, messages, legal clock, forwarding, ...), ``routing/`` (routeboekje and
routing advice), ``keys/`` (every private key and the meldcode hash), ``accounts/``
(loket users and login sessions), ``storage/`` (database), ``pages/`` (HTML pages).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from backend.accounts.guess_limiter import GuessLimiter
from backend.accounts.meldcode_limiter import MeldcodeLimiter
from backend.accounts.submitters import SignatureChecker, SubmissionLimiter, parse_submitters
from backend.api import (
    bewijs,
    bijlagen,
    loket,
    melder,
    melder_bewaar,
    melder_checkin,
    niet_alleen,
    public,
)
from backend.api.errors import install_error_handlers
from backend.core.config import Settings
from backend.core.request_size import RequestSizeLimit
from backend.core.security_headers import ApiHeaders, PageHeaders, SecurityHeadersMiddleware
from backend.domain.herinneringen import LogNotifier, Notifier, ReminderRun, scheduler
from backend.keys.bewaarsleutels import configure as configure_kluis
from backend.keys.bewijssleutel import ensure_bewijssleutel
from backend.keys.meldcode_hash import ensure_meldcode_salt
from backend.pages import PagesConfig, pages_router
from backend.routing.routeboekje import load_routeboekje
from backend.storage import db as dbmod

WEB_DIR = Path(__file__).resolve().parent / "web"


def create_app(
    settings: Settings | None = None,
    notifier: Notifier | None = None,
    pages_config: PagesConfig | None = None,
) -> FastAPI:
    settings = settings or Settings.from_env()
    configure_kluis(settings.sleutelkluis)
    pages_config = pages_config or PagesConfig.from_env(rasa_url=settings.rasa_url)
    boek = load_routeboekje(
        termijnen_override=Path(settings.termijnen_bestand) if settings.termijnen_bestand else None
    )
    reminders = ReminderRun(
        notifier or LogNotifier(), timedelta(days=settings.herinnering_binnen_dagen)
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            dbmod.upgrade(settings.database_url)
        database = dbmod.Database(settings.database_url)
        ensure_meldcode_salt(database)
        ensure_bewijssleutel(database)  # receipts' signing key (docs/ontvangstbewijs.md)
        app.state.db = database
        task = None
        if settings.herinnering_interval_seconden > 0:
            task = asyncio.create_task(
                scheduler(database, reminders, settings.herinnering_interval_seconden)
            )
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        database.engine.dispose()

    app = FastAPI(
        title="Meldwijzer backend",
        version="0.1.0",
        description=(
            "Routing advice from the routeboekje, loket public keys and sealed "
            "meldingen. Melding content arrives encrypted; the backend sees only "
            "the envelope (loket, eenheid, categorie, timestamps)."
        ),
        lifespan=lifespan,
    )
    # What the dependencies in backend/api/deps.py hand to the routes.
    app.state.settings = settings
    app.state.routeboekje = boek
    app.state.meldcode_limiter = MeldcodeLimiter(
        per_address=settings.meldcode_pogingen_per_adres,
        per_code=settings.meldcode_pogingen_per_code,
        per_action_server=settings.meldcode_pogingen_per_actieserver,
        total=settings.meldcode_pogingen_totaal,
        window_seconds=settings.meldcode_venster_seconden,
        degraded_delay=settings.meldcode_vertraging_overbelast_ms / 1000,
    )
    # Action servers prove who they are by signing (backend/accounts/submitters.py).
    app.state.signatures = SignatureChecker(
        parse_submitters(settings.actieservers), settings.handtekening_venster_seconden
    )
    app.state.submission_limiter = SubmissionLimiter(
        settings.meldingen_per_minuut_per_actieserver, settings.meldingen_per_minuut_totaal
    )
    # Lets the pages' in-process API calls pass on the browser's address (and only them).
    app.state.internal_token = secrets.token_urlsafe(32)
    app.state.login_limiter = GuessLimiter(10, 1000, 15 * 60)
    app.state.reminders = reminders

    install_error_handlers(app)
    # A body over the limit is refused before any route reads or parses it (inside the
    # security headers, so the 413 gets them too).
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_verzoek_bytes)
    app.add_middleware(
        SecurityHeadersMiddleware,
        api=ApiHeaders(settings.rasa_url),
        pages=PageHeaders(pages_config.rasa_url, pages_config.chat_frame_ancestors),
        hsts=settings.hsts,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Idempotency-Key", "Authorization"],
        )

    # The pages people use: chat, follow-up, loket portal, routeboekje (backend/pages).
    app.include_router(pages_router(pages_config, boek))
    app.include_router(public.router)
    app.include_router(melder.router)
    app.include_router(melder_bewaar.router)
    app.include_router(melder_checkin.router)
    app.include_router(loket.router)
    app.include_router(niet_alleen.router)
    app.include_router(niet_alleen.loket_router)
    app.include_router(bijlagen.melder_router)
    app.include_router(bijlagen.upload_router)
    app.include_router(bijlagen.loket_router)
    app.include_router(bewijs.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/chat")

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    return app
