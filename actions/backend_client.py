"""Calls from the action server to the Meldwijzer backend (aiohttp).

Every request is signed with the action server's own key (envelope/request_signing.py,
``MELDWIJZER_ACTIESERVER_SLEUTEL``): the backend accepts meldingen only from a
registered action server, and counts meldcode guesses per action server. The
signature is made when the request is sent (for the outbox: at delivery), so its
timestamp is always fresh.
"""

from __future__ import annotations

import functools
import json as jsonlib
import logging
from typing import Any

import aiohttp

from actions.config import backend_timeout_seconds, backend_url, signing_key_path
from envelope.request_signing import SigningKey

log = logging.getLogger(__name__)


class BackendUnavailable(RuntimeError):
    """The backend could not be reached or answered with an error."""

    def __init__(
        self, message: str, status: int | None = None, nl: str | None = None, code: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.nl = nl  # the backend's own Dutch explanation (never echoes input)
        self.code = code  # the backend's error code, e.g. "bewaarmelding"


@functools.lru_cache(maxsize=1)
def signing_key() -> SigningKey | None:
    path = signing_key_path()
    if path is None:
        log.warning("no MELDWIJZER_ACTIESERVER_SLEUTEL: the backend will refuse meldingen")
        return None
    return SigningKey.load(path)


def signed_headers(method: str, path: str, body: bytes) -> dict[str, str]:
    key = signing_key()
    return {} if key is None else key.sign(method, path, body)


async def _request(
    method: str,
    path: str,
    json: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=backend_timeout_seconds())
    data = b"" if json is None else jsonlib.dumps(json).encode("utf-8")
    all_headers = {**(headers or {}), **signed_headers(method, path, data)}
    if json is not None:
        all_headers["Content-Type"] = "application/json"
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(
                method, backend_url() + path, data=data or None, headers=all_headers
            ) as response,
        ):
            if response.status >= 400:
                # Status only in the message: never log what the melder sent.
                nl, code = await _error(response)
                raise BackendUnavailable(
                    f"{method} {path}: HTTP {response.status}",
                    status=response.status,
                    nl=nl,
                    code=code,
                )
            body: dict[str, Any] = await response.json()
            return body
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise BackendUnavailable(f"{method} {path}: {type(exc).__name__}") from exc


async def _error(response: aiohttp.ClientResponse) -> tuple[str | None, str]:
    """The backend's Dutch explanation and error code, if it gave them."""
    try:
        body = await response.json(content_type=None)
        return str(body["error"]["nl"]), str(body["error"].get("code") or "")
    except (ValueError, KeyError, TypeError, AttributeError, aiohttp.ClientError):
        return None, ""


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


async def _melder(path: str, **body: str) -> dict[str, Any]:
    """A melder's request: the meldcode (and text) in the body, signed like every request.

    The backend counts wrong meldcodes per action server and per meldcode, not per
    conversation: a sender id is chosen by the client, so it is no basis for a limit.
    """
    return await _request("POST", path, json=body)


async def melder_status(meldcode: str) -> dict[str, Any]:
    return await _melder("/api/v1/melder/status", meldcode=meldcode)


async def melder_schrijf(meldcode: str, soort: str, tekst: str) -> dict[str, Any]:
    path = "/api/v1/melder/aanvulling" if soort == "aanvulling" else "/api/v1/melder/berichten"
    return await _melder(path, meldcode=meldcode, tekst=tekst)


async def melder_intrekken(meldcode: str) -> dict[str, Any]:
    return await _melder("/api/v1/melder/intrekken", meldcode=meldcode)


async def uitdaging() -> str:
    """A fresh single-use challenge for the melder's signature."""
    body = await _request("POST", "/api/v1/melder/uitdaging")
    return str(body["uitdaging"])


async def melder_signed(path: str, body: dict[str, Any]) -> dict[str, Any]:
    """A melder's request signed on the melder's side (current meldcodes): no meldcode."""
    return await _request("POST", path, json=body)


async def bewaar_melding(body: dict[str, Any]) -> dict[str, Any]:
    """Store a bewaarmelding: sealed to the melder only (actions/bewaarmelding.py)."""
    return await _request("POST", "/api/v1/bewaarmeldingen", json=body)
