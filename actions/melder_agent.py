"""The action server as the melder's agent: the meldcode's cryptography, in memory only.

For a current meldcode (20 characters) the backend never sees the code or anything
that derives the melder's key. Per request this module derives the melder's keys
from the code (a slow scrypt, in a worker thread), signs a fresh challenge from the
backend, opens the sealed messages and seals the melder's replies itself; the keys
live only for that request. Older 16-character meldcodes still go to the backend
as before (``backend_client.melder_*``).

Between turns the conversation needs the code again. The ``meldcode`` slot (in the
tracker, in Redis in production) therefore holds it only sealed: AES-256-GCM under
a key that exists only in the action server's memory (``MELDWIJZER_SLOT_SLEUTEL``,
64 hex characters, shared by several action-server processes; without it a random
key per process, so a restart means the melder types the code once more). A
tracker or Redis dump alone holds no meldcode.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import os
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from actions import backend_client
from envelope.checkin import seal_checkin
from envelope.meldcode import MeldcodeFormatError, format_meldcode, is_legacy
from envelope.melder_auth import open_berichten, seal_bericht, signed_request
from envelope.melder_key import MelderKeys, melder_keys

TOKEN_PREFIX = "mc2."  # noqa: S105 - a marker, not a secret
_AAD = b"meldwijzer/slot/meldcode"


@functools.lru_cache(maxsize=1)
def _slot_key() -> bytes:
    configured = os.environ.get("MELDWIJZER_SLOT_SLEUTEL", "")
    if configured:
        key = bytes.fromhex(configured)
        if len(key) != 32:
            raise ValueError("MELDWIJZER_SLOT_SLEUTEL must be 64 hex characters")
        return key
    return secrets.token_bytes(32)


def seal_for_slot(meldcode: str) -> str:
    """The meldcode sealed for the tracker slot (only this action server can open it)."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_slot_key()).encrypt(nonce, format_meldcode(meldcode).encode("ascii"), _AAD)
    return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_from_slot(value: Any) -> str | None:
    """The meldcode of a slot token, or None (empty, foreign or from an earlier process)."""
    if not isinstance(value, str) or not value.startswith(TOKEN_PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(value[len(TOKEN_PREFIX) :].encode("ascii"))
        plain = AESGCM(_slot_key()).decrypt(raw[:12], raw[12:], _AAD)
        return format_meldcode(plain.decode("ascii"))
    except (ValueError, InvalidTag, MeldcodeFormatError):
        return None


async def _keys(meldcode: str) -> MelderKeys:
    return await asyncio.to_thread(melder_keys, meldcode)


async def _signed(
    keys: MelderKeys, path: str, actie: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    challenge = await backend_client.uitdaging()
    request = signed_request(keys, actie, challenge, body)
    return await backend_client.melder_signed(path, request)


async def melder_status(meldcode: str) -> dict[str, Any]:
    """Status and messages, the messages opened here with the melder's key."""
    if is_legacy(meldcode):
        return await backend_client.melder_status(meldcode)
    keys = await _keys(meldcode)
    status = await _signed(keys, "/api/v1/melder/status", "status")
    return {**status, "berichten": open_berichten(status, keys)}


async def melder_schrijf(meldcode: str, soort: str, tekst: str) -> dict[str, Any]:
    """A reply or aanvulling, sealed here to the loket and the melder before sending."""
    if is_legacy(meldcode):
        return await backend_client.melder_schrijf(meldcode, soort, tekst)
    keys = await _keys(meldcode)
    status = await _signed(keys, "/api/v1/melder/status", "status")
    if not status.get("loket_sleutel"):
        raise backend_client.BackendUnavailable(
            "melding withdrawn",
            status=409,
            nl="Je hebt deze melding ingetrokken. Je kunt er niets meer aan toevoegen.",
        )
    body = seal_bericht(status, keys, soort, tekst)
    if soort == "aanvulling":
        return await _signed(keys, "/api/v1/melder/aanvulling", "aanvulling", body)
    return await _signed(keys, "/api/v1/melder/berichten", "berichten", body)


async def melder_intrekken(meldcode: str) -> dict[str, Any]:
    if is_legacy(meldcode):
        return await backend_client.melder_intrekken(meldcode)
    keys = await _keys(meldcode)
    return await _signed(keys, "/api/v1/melder/intrekken", "intrekken")


async def melder_checkin(meldcode: str, antwoord: str, tekst: str | None = None) -> dict[str, Any]:
    """The answer to the open check-in, sealed here to the loket and the melder
    (docs/checkin.md). Current meldcodes only: an older one has no check-in."""
    if is_legacy(meldcode):
        raise backend_client.BackendUnavailable("no check-in for older meldcodes", status=409)
    keys = await _keys(meldcode)
    status = await _signed(keys, "/api/v1/melder/status", "status")
    if not status.get("checkin") or not status.get("loket_sleutel"):
        raise backend_client.BackendUnavailable(
            "no open check-in",
            status=409,
            nl="Deze vraag staat nu niet open. Je kunt het loket altijd een bericht sturen.",
        )
    body = seal_checkin(status, keys, antwoord, tekst)
    return await _signed(keys, "/api/v1/melder/checkin", "checkin", body)
