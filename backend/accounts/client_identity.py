"""Who is asking, for rate limiting only: never stored, never logged."""

from __future__ import annotations

from starlette.requests import Request

CLIENT_HEADER = "X-Meldwijzer-Client"


def client_identity(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The peer address, or the pseudonym a trusted proxy (the action server) passes on."""
    peer = request.client.host if request.client is not None else "onbekend"
    if peer in trusted_proxies:
        forwarded = request.headers.get(CLIENT_HEADER, "").strip()
        if forwarded:
            return "proxy:" + forwarded[:128]
    return "peer:" + peer
