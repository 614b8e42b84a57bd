"""The chat's bijlagen offer carries the meldcode to the widget; the tracker store never
keeps it (bot/tracker_store.py masks every string of a bot event, custom data included)."""

from __future__ import annotations

import asyncio

from rasa.shared.core.events import ActionExecuted, BotUttered

from bot.tracker_store import ForgetfulTrackerStore
from envelope.meldcode import new_meldcode
from tests.bot.test_tracker_store import DOMAIN, _tracker


def test_the_meldcode_in_the_bijlagen_offer_is_masked_in_the_tracker_store() -> None:
    meldcode = new_meldcode()
    offer = {"custom": {"data": {"bijlagen": {"meldcode": meldcode, "melding_id": "m-1"}}}}
    store = ForgetfulTrackerStore(DOMAIN)
    tracker = _tracker(ActionExecuted("action_verstuur_melding"), BotUttered(None, offer))
    asyncio.run(store.save(tracker))
    saved = str(store.store["melder-1"])
    assert meldcode not in saved and meldcode.replace("-", "") not in saved
    assert "[meldcode]" in saved and "m-1" in saved
