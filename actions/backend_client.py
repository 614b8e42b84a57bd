"""Calls from the action server to the Meldwijzer backend (aiohttp)."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp

from actions.config import backend_timeout_seconds, backend_url


class BackendUnavailable(RuntimeError):
    """The backend could not be reached or answered with an error."""

    def __init__(self, message: str, status: int | None = None, nl: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.nl = nl  # the backend's own Dutch explanation (never echoes input)


async def _request(
    method: str,
    path: str,
    json: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=backend_timeout_seconds())
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(method, backend_url() + path, json=json, headers=headers) as response,
        ):
            if response.status >= 400:
                # Status only in the message: never log what the melder sent.
                raise BackendUnavailable(
                    f"{method} {path}: HTTP {response.status}",
                    status=response.status,
                    nl=await _dutch_error(response),
                )
            body: dict[str, Any] = await response.json()
            return body
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise BackendUnavailable(f"{method} {path}: {type(exc).__name__}") from exc


async def _dutch_error(response: aiohttp.ClientResponse) -> str | None:
    try:
        body = await response.json(content_type=None)
        return str(body["error"]["nl"])
    except (ValueError, KeyError, TypeError, aiohttp.ClientError):
        return None


def client_header(sender_id: str) -> dict[str, str]:
    """A pseudonymous per-conversation id, so guessing limits apply per melder.

    The backend trusts it only from loopback; it is a hash, never the sender id.
    """
    return {"X-Meldwijzer-Client": hashlib.sha256(sender_id.encode()).hexdigest()[:32]}


async def routeadvies(request: dict[str, Any]) -> list[dict[str, Any]]:
    body = await _request("POST", "/api/v1/routeadvies", json=request)
    return list(body["advies"])


async def public_key(loket: str, eenheid: str) -> dict[str, Any]:
    return await _request("GET", f"/api/v1/lokets/{loket}/{eenheid}/publickey")


async def submit_melding(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    return await _request(
        "POST",
        "/api/v1/meldingen",
        json=body,
        headers={"Idempotency-Key": idempotency_key},
    )


async def _melder(path: str, sender_id: str, **body: str) -> dict[str, Any]:
    """A melder's request: the meldcode (and text) in the body, the pseudonymous client id."""
    return await _request("POST", path, json=body, headers=client_header(sender_id))


async def melder_status(meldcode: str, sender_id: str) -> dict[str, Any]:
    return await _melder("/api/v1/melder/status", sender_id, meldcode=meldcode)


async def melder_schrijf(meldcode: str, soort: str, tekst: str, sender_id: str) -> dict[str, Any]:
    path = "/api/v1/melder/aanvulling" if soort == "aanvulling" else "/api/v1/melder/berichten"
    return await _melder(path, sender_id, meldcode=meldcode, tekst=tekst)


async def melder_intrekken(meldcode: str, sender_id: str) -> dict[str, Any]:
    return await _melder("/api/v1/melder/intrekken", sender_id, meldcode=meldcode)


async def uitdaging() -> str:
    """A fresh single-use challenge for the melder's signature."""
    body = await _request("POST", "/api/v1/melder/uitdaging")
    return str(body["uitdaging"])


async def melder_signed(path: str, body: dict[str, Any], sender_id: str) -> dict[str, Any]:
    """A melder's request signed on the melder's side (current meldcodes): no meldcode."""
    return await _request("POST", path, json=body, headers=client_header(sender_id))
