"""A meldcode in words is never stored either (bot/tracker_store.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.texts import text
from bot.tracker_store import ForgetfulTrackerStore, mask_meldcodes
from envelope.meldcode import new_meldcode
from envelope.meldcode_woorden import format_words, meldcode_to_words

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain"))


def _tracker(*events: object) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("melder-1", list(events), DOMAIN.slots)  # type: ignore[arg-type]


def test_the_words_shown_and_typed_are_not_stored() -> None:
    code = new_meldcode()
    words = meldcode_to_words(code)
    typed = " ".join(words)
    with_typo = " ".join([*words[:4], "qqqqq", *words[5:]])
    store = ForgetfulTrackerStore(DOMAIN)
    tracker = _tracker(
        ActionExecuted("action_listen"),
        BotUttered(text("je_meldcode", meldcode=code, woorden=format_words(code))),
        UserUttered(typed, parse_data={"text": typed}),
        SlotSet("meldcode", typed),
        UserUttered(with_typo, parse_data={"text": with_typo}),
        UserUttered(f"mijn code is {format_words(code)}, klopt die?"),
        SlotSet("beschrijving", "De appel viel niet ver van de boom, zei mijn teamchef."),
    )
    asyncio.run(store.save(tracker))
    stored = str(store.store["melder-1"])
    for i in range(0, 10, 2):
        pair = f"{words[i]}-{words[i + 1]}"
        assert pair not in stored, pair
        assert f"{words[i]} {words[i + 1]}" not in stored
    assert stored.count("[meldcode]") >= 5
    assert "klopt die?" in stored and "Allebei werken" in stored
    restored = asyncio.run(store.retrieve("melder-1"))
    assert restored is not None
    assert "De appel viel niet ver van de boom" in str(restored.get_slot("beschrijving"))


def test_an_ordinary_story_is_not_masked() -> None:
    story = (
        "Na de lunch in de kantine zei mijn teamchef dat ik met de trein moet komen, niet met "
        "de auto, en dat ik in de winter geen helm en laptop mee mag nemen."
    )
    assert mask_meldcodes(story) == story
