"""Errors as clear 4xx answers in Dutch and English, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("meldwijzer.backend")


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, nl: str, en: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(en)
        self.status = status
        self.code = code
        self.nl = nl
        self.en = en
        self.headers = headers


def loket_not_digital(status: int, *, contact_directly: bool = False) -> ApiError:
    """This loket does not receive meldingen through Meldwijzer (CONTRACT §2)."""
    nl = "Dit loket ontvangt geen meldingen via Meldwijzer."
    en = "This loket does not receive meldingen through Meldwijzer"
    if contact_directly:
        nl, en = nl + " Neem direct contact op.", en + "; contact it directly"
    return ApiError(status, "loket_not_digital", nl, en + ".")


def loket_without_key(status: int) -> ApiError:
    return ApiError(
        status,
        "no_key",
        "Dit loket is nog niet aangesloten op Meldwijzer.",
        "This loket has no key yet.",
    )


def error_body(code: str, nl: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "nl": nl, "en": en, **extra}}


_GENERIC = {
    400: ("bad_request", "Het verzoek klopt niet.", "The request is malformed."),
    401: ("unauthorized", "Je bent niet ingelogd.", "You are not logged in."),
    403: ("forbidden", "Dit mag je niet bekijken.", "You may not access this."),
    404: ("not_found", "Dit adres bestaat niet.", "This address does not exist."),
    405: (
        "method_not_allowed",
        "Deze methode kan hier niet.",
        "This method is not allowed here.",
    ),
    413: ("too_large", "Het verzoek is te groot.", "The request is too large."),
    429: (
        "too_many_requests",
        "Te veel pogingen. Wacht even en probeer het dan opnieuw.",
        "Too many attempts. Wait a while and try again.",
    ),
    415: (
        "unsupported_media_type",
        "Stuur de gegevens als JSON.",
        "Send the data as JSON.",
    ),
}


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Never echo the submitted input back: it may be melding content.
    return [
        {"veld": ".".join(str(p) for p in err.get("loc", ())), "fout": err.get("msg")}
        for err in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.nl, exc.en), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _field_errors(exc)
        names = ", ".join(f["veld"] for f in fields) or "body"
        return JSONResponse(
            error_body(
                "invalid_request",
                f"De gegevens kloppen niet. Controleer: {names}.",
                f"The request data is invalid. Check: {names}.",
                velden=fields,
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, nl, en = _GENERIC.get(
            exc.status_code,
            ("error", "Er ging iets mis met dit verzoek.", "The request failed."),
        )
        return JSONResponse(
            error_body(code, nl, en), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", type(exc).__name__)
        return JSONResponse(
            error_body(
                "internal_error",
                "Er ging iets mis aan onze kant. Er is niets verloren; probeer het later opnieuw.",
                "Something went wrong on our side. Nothing was lost; try again later.",
            ),
            status_code=500,
        )
