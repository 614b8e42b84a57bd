"""Fallback buttons, and an unsure story that is still listened to (actions/fallback.py)."""

from __future__ import annotations

import asyncio

from actions.fallback import _candidate_button


def test_fallback_offers_situations_and_controls_as_buttons() -> None:
    situation = _candidate_button("situatie_pesten")
    assert situation is not None and '"categorie":"pesten"' in situation["payload"]
    assert _candidate_button("wil_praten") == {
        "title": "Ik wil met iemand praten",
        "payload": "/wil_praten",
    }
    assert _candidate_button("greet") is None


def _fallback(
    text: str, ranking: list[dict[str, object]]
) -> tuple[list[dict[str, object]], list[object]]:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.fallback import ActionFallbackKnoppen

    message = {"text": text, "intent": ranking[0], "intent_ranking": ranking}
    tracker = Tracker("t", {}, message, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFallbackKnoppen().run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def test_unsure_story_is_acknowledged_and_kept() -> None:
    story = "Ze lachen me uit in de briefing en negeren me in de app-groep."
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "situatie_uitsluiting", "confidence": 0.41},
        {"name": "situatie_pesten", "confidence": 0.3},
    ]
    messages, events = _fallback(story, ranking)
    assert messages[0]["text"].startswith("Dank je dat je dit vertelt")
    payloads = [b["payload"] for b in messages[1]["buttons"]]
    assert '"categorie":"uitsluiting"' in payloads[0] and '"categorie":"pesten"' in payloads[1]
    assert events[0]["value"] == story  # the words are kept as the description


def test_gibberish_gets_an_invitation_and_nothing_is_kept() -> None:
    messages, events = _fallback("xq zzv", [{"name": "nlu_fallback", "confidence": 0.5}])
    assert "eigen woorden" in messages[0]["text"] and events == []
    assert len(messages[0]["buttons"]) >= 2  # never a one-button "Bedoel je ...?"


def test_a_feeling_is_reflected_and_kept() -> None:
    text = "\U0001f621\U0001f621 ik ben zo boos op mn tc"
    messages, events = _fallback(text, [{"name": "nlu_fallback", "confidence": 0.5}])
    assert messages[0]["text"].startswith("Dat klinkt als iets wat je dwarszit")
    assert events[0]["value"] == text
