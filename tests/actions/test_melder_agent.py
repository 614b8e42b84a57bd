"""The action server as the melder's agent (actions/melder_agent.py): what it sends.

The backend is replaced by a recorder that answers like the real one; the real
system is tested in tests/security/test_meldcode_secret.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from actions import backend_client, melder_agent
from envelope.melder_auth import request_message
from envelope.melder_key import melder_keys, verify_signature
from envelope.sealing import b64d, b64e, envelope_header, generate_keypair, key_id, open_sealed

CODE = "7KQ4-M2XD-9RTA-HB3C-W5NP"
KOP = envelope_header(
    {
        "melding_id": "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90",
        "loket": "vik",
        "eenheid": "limburg",
        "categorie": "pesten",
        "aangemaakt_op": "2026-11-26T10:00:00+00:00",
    }
)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, dict[str, Any]]], bytes]:
    loket_private, loket_public = generate_keypair()
    calls: list[tuple[str, dict[str, Any]]] = []

    async def uitdaging() -> str:
        return f"1999999999.nonce{len(calls)}.mac"

    async def signed(path: str, body: dict[str, Any]) -> dict[str, Any]:
        calls.append((path, body))
        if path.endswith("/status"):
            return {
                "status": "bevestigd",
                "kop": KOP,
                "loket_sleutel": {"kid": key_id(loket_public), "public_key": b64e(loket_public)},
                "berichten": [],
            }
        return {"melding_id": KOP["melding_id"], "status": "bevestigd"}

    monkeypatch.setattr(backend_client, "uitdaging", uitdaging)
    monkeypatch.setattr(backend_client, "melder_signed", signed)
    return calls, loket_private


def test_a_reply_goes_sealed_and_signed_without_the_meldcode(sent: Any) -> None:
    calls, loket_private = sent
    asyncio.run(melder_agent.melder_schrijf(CODE, "aanvulling", "Het was op maandag."))
    assert [path for path, _ in calls] == ["/api/v1/melder/status", "/api/v1/melder/aanvulling"]
    keys = melder_keys(CODE)
    for (_path, body), actie in zip(calls, ("status", "aanvulling"), strict=True):
        text = json.dumps(body)
        assert CODE not in text and CODE.replace("-", "")[4:] not in text
        assert keys.seed.hex() not in text and b64e(keys.private_key) not in text
        bewijs = body["bewijs"]
        content = {k: v for k, v in body.items() if k != "bewijs"}
        message = request_message(actie, bewijs["uitdaging"], bewijs["sleutel"], content)
        assert verify_signature(b64d(bewijs["sleutel"]), b64d(bewijs["handtekening"]), message)
    reply = calls[1][1]
    assert "Het was op maandag" not in json.dumps(reply)
    header = {**KOP, "deel": "aanvulling", "bericht_id": reply["bericht_id"]}
    for private in (loket_private, keys.private_key):  # the loket and the melder read it
        assert json.loads(open_sealed(reply["sealed"], header, private)) == {
            "tekst": "Het was op maandag."
        }


def test_the_slot_holds_the_code_only_sealed() -> None:
    token = melder_agent.seal_for_slot(CODE.lower())
    assert token.startswith("mc2.") and CODE not in token and "W5NP" not in token
    assert melder_agent.open_from_slot(token) == CODE
    assert melder_agent.seal_for_slot(CODE) != token  # a fresh nonce each time
    for foreign in (None, CODE, "mc2.AAAA", token[:-4] + "AAAA"):
        assert melder_agent.open_from_slot(foreign) is None
