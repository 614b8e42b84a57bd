"""The pages call the backend's own JSON API in-process (no network hop).

Going through the API, not its internals, keeps one place for the rules: rate
limits, scopes, the audit log and the Dutch error texts. The browser's address
reaches the API only as the in-memory rate-limit key (passed on with this
process's internal token, see backend/accounts/client_identity.py); it is never
stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from starlette.requests import Request

from backend.accounts.client_identity import CLIENT_HEADER, INTERNAL_HEADER, internal_token

INTERNAL_BASE = "http://meldwijzer.intern"


@dataclass
class ApiAnswer:
    status: int
    data: Any
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def melding_nl(self) -> str:
        """The Dutch error message of the API, or a general one."""
        if isinstance(self.data, dict):
            for key in ("detail", "error", "fout"):
                value = self.data.get(key)
                if isinstance(value, dict):
                    for nl in ("nl", "bericht", "message_nl"):
                        if isinstance(value.get(nl), str):
                            return str(value[nl])
                if isinstance(value, str) and key != "detail":
                    return value
            for nl in ("nl", "bericht", "message_nl", "melding"):
                if isinstance(self.data.get(nl), str):
                    return str(self.data[nl])
        if self.status == 422:
            return "Dit klopt niet helemaal. Kijk wat je hebt ingevuld en probeer het opnieuw."
        if self.status == 429:
            return "Te veel pogingen. Wacht even en probeer het dan opnieuw."
        return "Er ging iets mis. Probeer het later opnieuw."


async def call_api(
    request: Request,
    method: str,
    path: str,
    *,
    json: Any = None,
    token: str | None = None,
    params: dict[str, Any] | None = None,
) -> ApiAnswer:
    headers = {
        CLIENT_HEADER: request.client.host if request.client else "onbekend",
        INTERNAL_HEADER: internal_token(request),
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    transport = httpx.ASGITransport(app=request.app, client=("127.0.0.1", 0))
    async with httpx.AsyncClient(transport=transport, base_url=INTERNAL_BASE) as client:
        response = await client.request(method, path, json=json, headers=headers, params=params)
    try:
        data = response.json()
    except ValueError:
        data = None
    return ApiAnswer(response.status_code, data, response.text)
