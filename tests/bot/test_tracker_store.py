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


def test_no_meldcode_is_stored_in_messages_or_the_raw_slot_value() -> None:
    """Issue #13: shown and typed meldcodes are masked; the slot keeps only the sealed code."""
    from rasa.shared.core.events import BotUttered

    from actions.melder_agent import open_from_slot, seal_for_slot

    code = "7KQ4-M2XD-9RTA-HB3C-W5NP"
    sealed = seal_for_slot(code)
    store = ForgetfulTrackerStore(DOMAIN)
    tracker = _tracker(
        ActionExecuted("action_listen"),
        BotUttered(f"Dit is je meldcode: {code}\nSchrijf hem op."),
        UserUttered("7kq4 m2xd 9rta hb3c w5np", parse_data={"text": "7kq4 m2xd 9rta hb3c w5np"}),
        SlotSet("meldcode", "7kq4 m2xd 9rta hb3c w5np"),
        SlotSet("meldcode", sealed),
        UserUttered("mijn oude code is 7KQ4M2XD9RTAHB3C, klopt die?"),
        SlotSet("beschrijving", "Ze pesten me al twintig weken, arbeidsongeschiktheid dreigt."),
    )
    asyncio.run(store.save(tracker))
    stored = str(store.store["melder-1"])
    for form in (code, code.replace("-", ""), "7kq4 m2xd", "M2XD9RTAHB3CW5NP", "7KQ4M2XD9RTAHB3C"):
        assert form.lower() not in stored.lower(), form
    assert stored.count("[meldcode]") >= 4
    restored = asyncio.run(store.retrieve("melder-1"))
    assert restored is not None and open_from_slot(restored.get_slot("meldcode")) == code
    assert "arbeidsongeschiktheid" in str(restored.get_slot("beschrijving"))  # text untouched


def test_masking_leaves_the_intents_the_dialogue_runs_on_intact() -> None:
    """'alleen_informatie' is 16 letters of the meldcode alphabet: masking it turned the
    intent into '[meldcode]' in every stored tracker, and the next turn went wrong."""
    store = ForgetfulTrackerStore(DOMAIN)
    intent = {"name": "alleen_informatie", "confidence": 1.0}
    tracker = _tracker(
        ActionExecuted("action_listen"),
        UserUttered(
            "/alleen_informatie",
            intent=intent,
            parse_data={"text": "/alleen_informatie", "intent": intent, "intent_ranking": [intent]},
        ),
    )
    asyncio.run(store.save(tracker))
    restored = asyncio.run(store.retrieve("melder-1"))
    assert restored is not None
    assert restored.latest_message.intent["name"] == "alleen_informatie"
    assert "[meldcode]" not in str(store.store["melder-1"])
