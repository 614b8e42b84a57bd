"""Security headers on every response: strict CSP, no referrer, no caching."""

from __future__ import annotations

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp


class SecurityHeadersMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, rasa_url: str) -> None:
        super().__init__(app)
        self.csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self'; connect-src 'self' {rasa_url}; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
        )

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if request.url.path.startswith(("/docs", "/redoc")):
            # Swagger UI loads its own assets; keep it usable for developers.
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            return response
        response.headers["Content-Security-Policy"] = self.csp
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Cache-Control"] = "no-store"
        return response
