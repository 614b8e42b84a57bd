"""After a melding reached the backend the chat offers "Bijlage toevoegen" to this session
(a custom payload with the meldcode for the widget); not when it waits in the outbox."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import melder_agent, submission
from actions.backend_client import BackendUnavailable
from actions.outbox import Outbox
from envelope.meldcode import new_meldcode
from envelope.sealing import b64e, generate_keypair, key_id
from tests.actions.test_identiteit import MELDING_ID, SLOTS, _tracker


def _offers(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [
        m["custom"]["data"]["bijlagen"]
        for m in dispatcher.messages
        if isinstance(m.get("custom"), dict) and "bijlagen" in m["custom"].get("data", {})
    ]


def _run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, up: bool) -> tuple[str, Any]:
    _, public = generate_keypair()
    key = {"kid": key_id(public), "public_key": b64e(public)}

    async def loket_key(loket: str, eenheid: str) -> dict[str, Any]:
        return key

    async def submit(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        if not up:
            raise BackendUnavailable("down")
        return {"melding_id": MELDING_ID, "termijn_soort": "geen"}

    monkeypatch.setattr(submission, "_loket_key", loket_key)
    monkeypatch.setattr(submission, "default_outbox", lambda: Outbox(tmp_path / "o.sqlite3"))
    monkeypatch.setattr(submission.backend_client, "submit_melding", submit)
    meldcode = new_meldcode()
    slots = {**SLOTS, "gekozen_loket": "vertrouwenspersoon", "anoniem": "ja",
             "melder_naam": None, "melder_contact": None, "melding_id": MELDING_ID,
             "meldcode": melder_agent.seal_for_slot(meldcode)}  # fmt: skip
    dispatcher = CollectingDispatcher()
    asyncio.run(submission.ActionVerstuurMelding().run(dispatcher, _tracker(slots), {}))
    return meldcode, dispatcher


def test_a_sent_melding_offers_bijlagen_with_its_meldcode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    meldcode, dispatcher = _run(monkeypatch, tmp_path, up=True)
    assert _offers(dispatcher) == [{"meldcode": meldcode, "melding_id": MELDING_ID}]


def test_a_melding_in_the_outbox_offers_nothing_yet(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, dispatcher = _run(monkeypatch, tmp_path, up=False)
    assert _offers(dispatcher) == []
