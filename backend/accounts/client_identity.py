"""Who is asking, for rate limiting only: never stored, never logged.

A caller is its network address (behind the intranet proxy: the address uvicorn
takes from ``X-Forwarded-For`` of a ``--forwarded-allow-ips`` proxy). Nothing a
client writes in a header is believed, with one exception: the pages call the API
in-process (backend/pages/api_client.py) and pass on the browser's address in
``X-Meldwijzer-Client`` together with a random token of this process, which no
outside caller knows. Action servers are told apart by their request signature
(backend/accounts/submitters.py), not here.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request

CLIENT_HEADER = "X-Meldwijzer-Client"
INTERNAL_HEADER = "X-Meldwijzer-Intern"


def internal_token(request: Request) -> str:
    return str(request.app.state.internal_token)


def client_address(request: Request) -> str:
    """The caller's network address (for in-process page calls: the browser's)."""
    token = request.headers.get(INTERNAL_HEADER)
    if token and hmac.compare_digest(token.encode(), internal_token(request).encode()):
        forwarded = request.headers.get(CLIENT_HEADER, "").strip()
        if forwarded:
            return forwarded[:128]
    return request.client.host if request.client is not None else "onbekend"


def client_identity(request: Request) -> str:
    """The key the login limiter counts failures under."""
    return "adres:" + client_address(request)
