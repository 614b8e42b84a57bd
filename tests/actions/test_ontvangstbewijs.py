"""After sending, the chat offers the backend's signed receipt as a download; a melding
that waits in the outbox says where the receipt comes later; the status shows it too."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import follow_up, melder_agent, submission
from actions.backend_client import BackendUnavailable
from actions.outbox import Outbox
from envelope.meldcode import new_meldcode
from envelope.sealing import b64e, generate_keypair, key_id

MELDING_ID = "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90"
BEWIJS = {
    "formaat": "meldwijzer.ontvangstbewijs/1",
    "melding_id": MELDING_ID,
    "loket": "vertrouwenspersoon",
    "eenheid": "rotterdam",
    "ontvangen_op": "2026-12-02T10:15:00+00:00",
    "inhoud_sha256": "ab" * 32,
    "identiteit_sha256": None,
    "audit": {"volgnummer": 7, "hash": "cd" * 32},
    "sleutel_id": "0123456789abcdef",
    "handtekening": "c2lnbmF0dXJl",
}
ADVIES = [
    {"loket": "vertrouwenspersoon", "naam": "Vertrouwenspersoon", "ontvangt_digitaal": True,
     "anoniem_mogelijk": True},
]  # fmt: skip
SLOTS = {
    "categorie": "pesten",
    "beschrijving": "Ze lachen me al maanden uit in de briefing.",
    "eenheid": "rotterdam",
    "anoniem": "ja",
    "gekozen_loket": "vertrouwenspersoon",
    "melding_id": MELDING_ID,
}


def _tracker(slots: dict[str, Any]) -> Tracker:
    latest = {"text": "/verstuur", "intent": {"name": "verstuur"}, "entities": []}
    return Tracker("t", {"advies": ADVIES, **slots}, latest, [], False, None, {}, "")


def _send(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, answer: Any) -> CollectingDispatcher:
    _private, public = generate_keypair()
    key = {"kid": key_id(public), "public_key": b64e(public)}

    async def loket_key(loket: str, eenheid: str) -> dict[str, Any]:
        return key

    monkeypatch.setattr(submission, "_loket_key", loket_key)
    monkeypatch.setattr(submission, "default_outbox", lambda: Outbox(tmp_path / "o.sqlite3"))
    monkeypatch.setattr(submission.backend_client, "submit_melding", answer)
    slots = {**SLOTS, "meldcode": melder_agent.seal_for_slot(new_meldcode())}
    dispatcher = CollectingDispatcher()
    asyncio.run(submission.ActionVerstuurMelding().run(dispatcher, _tracker(slots), {}))
    return dispatcher


def _receipts(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [
        m["custom"]["data"]["ontvangstbewijs"]
        for m in dispatcher.messages
        if (m.get("custom") or {}).get("data", {}).get("ontvangstbewijs")
    ]


def _texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def test_after_sending_the_receipt_is_offered_for_download(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async def accepted(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        return {"id": MELDING_ID, "status": "ontvangen", "termijn_soort": "geen",
                "bevestigen_voor": None, "terugkoppeling_voor": None,
                "ontvangstbewijs": BEWIJS}  # fmt: skip

    dispatcher = _send(monkeypatch, tmp_path, accepted)
    assert _receipts(dispatcher) == [BEWIJS]
    said = _texts(dispatcher)
    assert "ontvangstbewijs" in said and "staat er niet in" in said
    # The explanation comes right before the download, after the meldcode.
    texts = [m.get("text") or "" for m in dispatcher.messages]
    download = next(i for i, m in enumerate(dispatcher.messages) if m.get("custom"))
    assert "Download dan je ontvangstbewijs" in texts[download - 1]
    assert any("meldcode" in t for t in texts[: download - 1])


def test_waiting_in_the_outbox_says_where_the_receipt_comes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async def down(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        raise BackendUnavailable("down")

    dispatcher = _send(monkeypatch, tmp_path, down)
    assert _receipts(dispatcher) == []
    assert "Volg je melding" in _texts(dispatcher)


def test_the_status_in_the_chat_carries_the_receipt(monkeypatch: pytest.MonkeyPatch) -> None:
    async def status(meldcode: str) -> dict[str, Any]:
        return {"status": "ontvangen", "loket": "vertrouwenspersoon", "loket_naam": "VP",
                "ontvangen_op": "2026-12-02T10:15:00+00:00", "termijn_soort": "geen",
                "bevestigen_voor": None, "terugkoppeling_voor": None, "bevestigd_op": None,
                "berichten": [], "ontvangstbewijs": BEWIJS}  # fmt: skip

    monkeypatch.setattr(follow_up.melder_agent, "melder_status", status)
    slots = {"meldcode": melder_agent.seal_for_slot(new_meldcode())}
    dispatcher = CollectingDispatcher()
    asyncio.run(follow_up.ActionToonStatus().run(dispatcher, _tracker(slots), {}))
    assert _receipts(dispatcher) == [BEWIJS]
