"""The Meldwijzer backend: routing advice, loket keys, sealed meldingen, chat page."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from backend.accounts.guess_limiter import GuessLimiter
from backend.api.errors import ApiError, install_error_handlers
from backend.api.loket import loket_router
from backend.api.melder import melder_router
from backend.api.schemas.meldingen import MeldingIn, MeldingOut, PublicKeyOut
from backend.core.config import Settings
from backend.core.security_headers import SecurityHeadersMiddleware
from backend.domain.herinneringen import LogNotifier, Notifier, ReminderRun, scheduler
from backend.domain.meldingen import store_melding
from backend.keys.loket_keys import NoDigitalLoket, active_key, key_scope
from backend.keys.meldcode_hash import meldcode_salt
from backend.pages import PagesConfig, install_pages
from backend.routing.advies import RouteAdviesRequest, RouteAdviesResponse, advise
from backend.routing.codes import EENHEDEN, LOKETTEN
from backend.routing.routeboekje import Routeboekje, load_routeboekje
from backend.storage import db as dbmod

WEB_DIR = Path(__file__).resolve().parent / "web"
ROUTEADVIES_EXAMPLES: dict[str, Any] = {
    "pesten": {
        "summary": "Bullying, wants support, Rotterdam",
        "value": {
            "categorie": "pesten",
            "rol_melder": "betrokkene",
            "eenheid": "rotterdam",
            "eerder_gemeld": "nee",
            "wens": "steun",
            "anoniem": True,
        },
    },
    "misstand": {
        "summary": "Suspected wrongdoing, wants an investigation",
        "value": {"categorie": "misstand", "wens": "onderzoek"},
    },
}
log = logging.getLogger("meldwijzer.backend")


def _unknown_code(what_nl: str, what_en: str, value: str) -> ApiError:
    return ApiError(
        422,
        f"unknown_{what_en}",
        f"Onbekende {what_nl}: '{value[:40]}'.",
        f"Unknown {what_en} code: '{value[:40]}'.",
    )


def create_app(
    settings: Settings | None = None,
    notifier: Notifier | None = None,
    pages_config: PagesConfig | None = None,
) -> FastAPI:
    settings = settings or Settings.from_env()
    boek: Routeboekje = load_routeboekje()
    meldcode_limiter = GuessLimiter(
        settings.meldcode_pogingen_per_client,
        settings.meldcode_pogingen_totaal,
        settings.meldcode_venster_seconden,
    )
    login_limiter = GuessLimiter(10, 1000, 15 * 60)
    reminders = ReminderRun(
        notifier or LogNotifier(), timedelta(days=settings.herinnering_binnen_dagen)
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            dbmod.upgrade(settings.database_url)
        database = dbmod.Database(settings.database_url)
        with database.session() as session:
            meldcode_salt(session)
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
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware, rasa_url=settings.rasa_url)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Idempotency-Key", "Authorization"],
        )

    def database(request: Request) -> dbmod.Database:
        return request.app.state.db  # type: ignore[no-any-return]

    @app.get("/health", tags=["operations"])
    def health(request: Request) -> dict[str, str]:
        with database(request).session() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.post(
        "/api/v1/routeadvies",
        response_model=RouteAdviesResponse,
        tags=["routeboekje"],
        summary="Routing advice for a situation (public, stores nothing)",
    )
    def routeadvies(
        body: Annotated[RouteAdviesRequest, Body(openapi_examples=ROUTEADVIES_EXAMPLES)],
    ) -> RouteAdviesResponse:
        return RouteAdviesResponse(advies=advise(body, boek))

    @app.get(
        "/api/v1/lokets/{loket}/{eenheid}/publickey",
        response_model=PublicKeyOut,
        tags=["lokets"],
        summary="The active public key a melding for this loket is sealed to",
    )
    def publickey(
        request: Request,
        loket: Annotated[str, PathParam(examples=["vertrouwenspersoon"])],
        eenheid: Annotated[str, PathParam(examples=["rotterdam"])],
    ) -> PublicKeyOut:
        if loket not in LOKETTEN:
            raise _unknown_code("loket", "loket", loket)
        if eenheid not in EENHEDEN:
            raise _unknown_code("eenheid", "eenheid", eenheid)
        try:
            scope = key_scope(boek, loket, eenheid)
        except NoDigitalLoket as exc:
            raise ApiError(
                404,
                "loket_not_digital",
                "Dit loket ontvangt geen meldingen via Meldwijzer. Neem direct contact op.",
                "This loket does not receive meldingen through Meldwijzer; contact it directly.",
            ) from exc
        with database(request).session() as session:
            row = active_key(session, loket, scope)
            if row is None:
                raise ApiError(
                    404,
                    "no_key",
                    "Dit loket is nog niet aangesloten op Meldwijzer.",
                    "This loket has no key yet.",
                )
            return PublicKeyOut(
                loket=loket, eenheid=row.eenheid, kid=row.kid, public_key=row.public_key
            )

    @app.post(
        "/api/v1/meldingen",
        response_model=MeldingOut,
        status_code=201,
        tags=["meldingen"],
        summary="Submit a sealed melding (idempotent by Idempotency-Key)",
        responses={200: {"description": "Replay: this melding was stored before"}},
    )
    def submit_melding(
        request: Request,
        response: Response,
        body: MeldingIn,
        idempotency_key: Annotated[
            str, Header(alias="Idempotency-Key", min_length=8, max_length=128)
        ],
    ) -> MeldingOut:
        with database(request).session() as session:
            stored = store_melding(session, boek, body, idempotency_key)
            m = stored.melding
            if not stored.created:
                response.status_code = 200
            return MeldingOut(
                id=m.id,
                meldcode=stored.meldcode,
                status=m.status,
                loket=m.loket,
                eenheid=m.eenheid,
                ontvangen_op=m.ontvangen_op,
                bevestigen_voor=m.bevestigen_voor,
                terugkoppeling_voor=m.terugkoppeling_voor,
            )

    app.state.meldcode_limiter = meldcode_limiter
    app.state.reminders = reminders
    app.include_router(melder_router(settings, boek, meldcode_limiter))
    app.include_router(loket_router(settings, boek, login_limiter))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/chat")

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    # The pages people use: chat, follow-up, loket portal, routeboekje (backend/pages).
    return install_pages(app, settings, pages_config)
