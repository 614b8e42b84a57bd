"""The forgetting tracker store (bot/tracker_store.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import ForgetfulTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain"))


def _tracker(*events: object) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("melder-1", list(events), DOMAIN.slots)  # type: ignore[arg-type]


def test_stop_forgets_everything_said_before() -> None:
    store = ForgetfulTrackerStore(DOMAIN)
    tracker = _tracker(
        ActionExecuted("action_listen"),
        UserUttered("GEHEIM-verhaal over mijn OE"),
        SlotSet("beschrijving", "GEHEIM-verhaal over mijn OE"),
        ActionExecuted("action_stop"),
        Restarted(),
    )
    asyncio.run(store.save(tracker))
    assert "GEHEIM" not in store.store["melder-1"]
    restored = asyncio.run(store.retrieve("melder-1"))
    assert restored is not None and restored.get_slot("beschrijving") is None


def test_idle_conversations_are_removed() -> None:
    store = ForgetfulTrackerStore(DOMAIN, idle_minutes=1)
    asyncio.run(store.save(_tracker(UserUttered("hallo"))))
    store.forget_idle(now=store.last_seen["melder-1"] + 61)
    assert "melder-1" not in store.store
