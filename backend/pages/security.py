"""Security for the pages: strict headers per page and CSRF tokens for forms.

The pages (chat, follow-up, portal, routeboekje) get their own, stricter header
set than the JSON API. `PagesSecurityMiddleware` is a pure ASGI middleware that
must sit outside the backend's `SecurityHeadersMiddleware` (add it later), so it
has the last word on the headers of the paths it owns.

CSRF: the signed double-submit pattern. A random value lives in a short-lived,
HttpOnly, SameSite=Strict cookie scoped to the page's path; every form carries
HMAC(secret, purpose | cookie value). The server keeps no state.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
# Paths whose responses get the page header set (the API keeps its own).
PAGE_PREFIXES = ("/chat", "/volgen", "/portaal", "/routeboekje", "/weg", "/static/")


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
            if self.chat_frame_ancestors:
                if "X-Frame-Options" in headers:
                    del headers["X-Frame-Options"]
            else:
                headers["X-Frame-Options"] = "SAMEORIGIN"
        else:
            headers["X-Frame-Options"] = "DENY"
        for name, value in self.extra.items():
            headers[name] = value


class PagesSecurityMiddleware:
    """Sets the page header set on every response under PAGE_PREFIXES."""

    def __init__(self, app: ASGIApp, headers: PageHeaders) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PAGE_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.headers.apply(path, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- CSRF ------------------------------------------------------------------------------


class CsrfError(Exception):
    """A form arrived without a valid CSRF token (or from another origin)."""


@dataclass(frozen=True)
class Csrf:
    secret: bytes
    cookie: str
    path: str
    max_age: int
    secure: bool = False

    def value(self, request: Request) -> str | None:
        value = request.cookies.get(self.cookie)
        if value and re.fullmatch(r"[A-Za-z0-9_-]{32,64}", value):
            return value
        return None

    def ensure(self, request: Request, response: Response, value: str | None = None) -> str:
        """The cookie value for this request; set a new cookie when there is none."""
        value = value or self.value(request)
        if value is None:
            value = secrets.token_urlsafe(32)
        response.set_cookie(
            self.cookie,
            value,
            max_age=self.max_age,
            path=self.path,
            httponly=True,
            samesite="strict",
            secure=self.secure,
        )
        return value

    def token(self, value: str) -> str:
        mac = hmac.new(self.secret, f"{self.cookie}|{value}".encode(), hashlib.sha256)
        return mac.hexdigest()

    def check(self, request: Request, submitted: str | None) -> str:
        """Raise CsrfError unless the form token matches the cookie; return the cookie value."""
        if not same_origin(request):
            raise CsrfError("cross-origin form")
        value = self.value(request)
        if value is None or not submitted:
            raise CsrfError("missing token or cookie")
        if not hmac.compare_digest(self.token(value), submitted):
            raise CsrfError("token mismatch")
        return value


def same_origin(request: Request) -> bool:
    """False when the browser says the form came from another site or origin.

    With `Referrer-Policy: no-referrer` Chromium sends `Origin: null` on a form
    post, so "null" is accepted and the CSRF token decides; Sec-Fetch-Site is
    checked where the browser sends it.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def sign(secret: bytes, text: str) -> str:
    mac = hmac.new(secret, b"sign|" + text.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{text}.{mac}"


def verify(secret: bytes, signed: str) -> str | None:
    text, _, mac = signed.rpartition(".")
    if not text or not hmac.compare_digest(sign(secret, text), signed):
        return None
    return text
