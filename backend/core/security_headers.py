"""Security headers on every response, from one middleware.

- The pages (chat, follow-up, portal, routeboekje, static files) get the strict page
  set: CSP per page (the chat may talk to Rasa and be framed by named intranet
  origins), no referrer, COOP/CORP, a Permissions-Policy, no caching (static files:
  five minutes).
- The JSON API gets a strict CSP, no referrer, nosniff, SAMEORIGIN framing, no caching.
- Swagger UI (/docs, /redoc) loads its own assets; it gets only the referrer policy.
- Strict-Transport-Security on every response served over HTTPS (``hsts="auto"``,
  the scheme as uvicorn sees it behind the proxy), always (``"aan"``) or never (``"uit"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
# Paths whose responses get the page header set (the API keeps its own).
PAGE_PREFIXES = ("/chat", "/volgen", "/portaal", "/routeboekje", "/weg", "/static/")
DOCS_PREFIXES = ("/docs", "/redoc")
HSTS_VALUE = "max-age=31536000; includeSubDomains"
HSTS_MODES = ("auto", "aan", "uit")


def parse_origins(value: str) -> tuple[str, ...]:
    """Origins from a comma- or space-separated list; anything else is refused."""
    origins = []
    for part in re.split(r"[,\s]+", value.strip()):
        if not part:
            continue
        part = part.rstrip("/")
        if not ORIGIN_RE.match(part):
            raise ValueError(f"not an origin (scheme://host[:port]): {part!r}")
        origins.append(part)
    return tuple(origins)


def websocket_origin(url: str) -> str:
    """ws(s):// form of an http(s) URL's origin, for connect-src."""
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}"


@dataclass(frozen=True)
class PageHeaders:
    rasa_url: str
    chat_frame_ancestors: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def csp(self, path: str) -> str:
        connect = "'self'"
        frame_ancestors = "'none'"
        if path.startswith("/chat"):
            rasa = self.rasa_url.rstrip("/")
            connect = f"'self' {rasa} {websocket_origin(rasa)}"
            frame_ancestors = " ".join(("'self'", *self.chat_frame_ancestors))
        return (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"font-src 'self'; connect-src {connect}; form-action 'self'; base-uri 'none'; "
            f"object-src 'none'; frame-ancestors {frame_ancestors}"
        )

    def apply(self, path: str, headers: MutableHeaders) -> None:
        headers["Content-Security-Policy"] = self.csp(path)
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        if path.startswith("/static/"):
            # Assets hold no personal data; a short cache keeps pages fast.
            headers["Cache-Control"] = "public, max-age=300"
        else:
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        if path.startswith("/chat"):
            # frame-ancestors decides; X-Frame-Options cannot name other origins.
            if not self.chat_frame_ancestors:
                headers["X-Frame-Options"] = "SAMEORIGIN"
        else:
            headers["X-Frame-Options"] = "DENY"
        for name, value in self.extra.items():
            headers[name] = value


@dataclass(frozen=True)
class ApiHeaders:
    rasa_url: str

    def apply(self, headers: MutableHeaders) -> None:
        headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self'; connect-src 'self' {self.rasa_url}; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
        )
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "SAMEORIGIN"
        headers["Cache-Control"] = "no-store"


class SecurityHeadersMiddleware:
    """Sets the page or the API header set on every HTTP response."""

    def __init__(
        self, app: ASGIApp, api: ApiHeaders, pages: PageHeaders, hsts: str = "auto"
    ) -> None:
        if hsts not in HSTS_MODES:
            raise ValueError(f"MELDWIJZER_HSTS must be one of {', '.join(HSTS_MODES)}")
        self.app = app
        self.api = api
        self.pages = pages
        self.hsts = hsts

    def apply(self, path: str, headers: MutableHeaders) -> None:
        if path.startswith(PAGE_PREFIXES):
            self.pages.apply(path, headers)
        elif path.startswith(DOCS_PREFIXES):
            headers.setdefault("Referrer-Policy", "no-referrer")
        else:
            self.api.apply(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                self.apply(path, headers)
                if self.hsts == "aan" or (self.hsts == "auto" and scope.get("scheme") == "https"):
                    headers["Strict-Transport-Security"] = HSTS_VALUE
            await send(message)

        await self.app(scope, receive, send_with_headers)
