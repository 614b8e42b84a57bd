"""The portal's bijlagen: the list on a melding's page and "Downloaden".

Like the rest of the portal this calls the loket API in-process with the user's
token, so scope, session keys and the audit log apply. The download is passed on as
the API sends it: ``attachment``, ``application/octet-stream`` and ``nosniff``, never
shown inline in the portal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from backend.accounts.client_identity import CLIENT_HEADER, INTERNAL_HEADER, internal_token
from backend.pages.api_client import INTERNAL_BASE, ApiAnswer, call_api

DOORGEGEVEN = (
    "content-type",
    "content-disposition",
    "x-content-type-options",
    "cache-control",
)


async def bijlagen_of(request: Request, token: str, melding_id: str) -> dict[str, Any]:
    """The list for the melding page (empty when the API refuses)."""
    answer: ApiAnswer = await call_api(
        request, "GET", f"/api/v1/loket/meldingen/{melding_id}/bijlagen", token=token
    )
    if not answer.ok or not isinstance(answer.data, dict):
        return {"bijlagen": [], "niet_te_openen": 0}
    return answer.data


def add_download_route(
    router: APIRouter,
    token_of: Callable[[Request], str | None],
    naar_login: Callable[..., Response],
) -> None:
    @router.get("/portaal/melding/{melding_id}/bijlage/{bijlage_id}")
    async def portaal_bijlage(
        request: Request,
        melding_id: Annotated[str, PathParam(max_length=36)],
        bijlage_id: Annotated[str, PathParam(min_length=36, max_length=36)],
    ) -> Response:
        token = token_of(request)
        if token is None:
            return naar_login(request)
        headers = {
            CLIENT_HEADER: request.client.host if request.client else "onbekend",
            INTERNAL_HEADER: internal_token(request),
            "Authorization": f"Bearer {token}",
        }
        transport = httpx.ASGITransport(app=request.app, client=("127.0.0.1", 0))
        async with httpx.AsyncClient(transport=transport, base_url=INTERNAL_BASE) as client:
            answer = await client.get(
                f"/api/v1/loket/meldingen/{melding_id}/bijlagen/{bijlage_id}", headers=headers
            )
        if answer.status_code == 401:
            return naar_login(request, verlopen=True)
        if answer.status_code != 200:
            fout = ApiAnswer(answer.status_code, _json(answer), answer.text).melding_nl
            return Response(fout, status_code=answer.status_code, media_type="text/plain")
        return Response(
            answer.content,
            headers={k: v for k, v in answer.headers.items() if k.lower() in DOORGEGEVEN},
        )


def _json(answer: httpx.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None
