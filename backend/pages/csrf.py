"""CSRF tokens for the page forms: the signed double-submit pattern.

A random value lives in a short-lived, HttpOnly, SameSite=Strict cookie scoped to
the page's path; every form carries HMAC(secret, purpose | cookie value). The
server keeps no state. ``sign``/``verify`` protect the display-only "who is logged
in" cookie of the portal the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response


class CsrfError(Exception):
    """A form arrived without a valid CSRF token (or from another origin)."""


@dataclass(frozen=True)
class Csrf:
    secret: bytes
    cookie: str
    path: str
    max_age: int | None  # None: a browser-session cookie (gone when the browser closes)
    secure: bool | None = None  # None: Secure when the request came over https

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
            secure=cookie_secure(request, self.secure),
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


def cookie_secure(request: Request, setting: bool | None) -> bool:
    """The Secure flag for a cookie: the setting, or (None) whether the request is https."""
    return request.url.scheme == "https" if setting is None else setting


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
