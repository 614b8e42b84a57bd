"""Calls from the action server to the Meldwijzer backend (aiohttp)."""

from __future__ import annotations

from typing import Any

import aiohttp

from actions.config import backend_timeout_seconds, backend_url


class BackendUnavailable(RuntimeError):
    """The backend could not be reached or answered with an error."""


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
                # Status only: a body may echo what the melder sent.
                raise BackendUnavailable(f"{method} {path}: HTTP {response.status}")
            body: dict[str, Any] = await response.json()
            return body
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise BackendUnavailable(f"{method} {path}: {type(exc).__name__}") from exc


async def routeadvies(request: dict[str, Any]) -> list[dict[str, Any]]:
    body = await _request("POST", "/api/v1/routeadvies", json=request)
    return list(body["advies"])


async def loket_info(loket: str, eenheid: str | None) -> dict[str, Any]:
    query = f"?eenheid={eenheid}" if eenheid else ""
    return await _request("GET", f"/api/v1/lokets/{loket}{query}")


async def public_key(loket: str, eenheid: str) -> dict[str, Any]:
    return await _request("GET", f"/api/v1/lokets/{loket}/{eenheid}/publickey")


async def submit_melding(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    return await _request(
        "POST",
        "/api/v1/meldingen",
        json=body,
        headers={"Idempotency-Key": idempotency_key},
    )
