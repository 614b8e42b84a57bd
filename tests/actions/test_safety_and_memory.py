"""Crisis keywords, the forgetting tracker store, fallback buttons, follow-up texts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.fallback import _candidate_button
from actions.follow_up import berichten_text, status_text, vervolg_buttons
from actions.personas import STAP_VP, utter_guidance
from bot.crisis_keywords import is_crisis
from bot.tracker_store import ForgetfulTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain"))


@pytest.mark.parametrize(
    "text",
    [
        "ik wil niet meer leven",
        "Ik denk aan ZELFMOORD",
        "ik ga mezelf iets aandoen",
        "hij staat hier nu met een mes",
        "ik word nu bedreigd",
        "ik wil er een eind aan maken",
    ],
)
def test_crisis_keywords_fire_without_the_classifier(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "mijn collega pest me al maanden",
        "ik word bedreigd door een collega in de app-groep",
        "/acuut_gevaar",
        "",
    ],
)
def test_ordinary_descriptions_are_not_crises(text: str) -> None:
    assert not is_crisis(text)


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


def test_fallback_offers_situations_and_controls_as_buttons() -> None:
    situation = _candidate_button("situatie_pesten")
    assert situation is not None and '"categorie":"pesten"' in situation["payload"]
    assert _candidate_button("wil_praten") == {
        "title": "Ik wil met iemand praten",
        "payload": "/wil_praten",
    }
    assert _candidate_button("greet") is None


def test_status_text_shows_both_legal_dates() -> None:
    text = status_text(
        {
            "loket": "vik",
            "loket_naam": "VIK",
            "status": "bevestigd",
            "ontvangen_op": "2026-11-26T10:00:00+00:00",
            "bevestigen_voor": "2026-12-03T10:00:00+00:00",
            "terugkoppeling_voor": "2027-02-26T10:00:00+00:00",
            "bevestigd_op": "2026-11-27T09:00:00+00:00",
        }
    )
    assert "27 november 2026" in text and "26 februari 2027" in text


def test_messages_and_buttons_for_follow_up() -> None:
    text = berichten_text(
        [
            {
                "van": "loket",
                "soort": "bericht",
                "verzonden_op": "2026-11-28T08:00:00",
                "tekst": "Wil je bellen?",
            }
        ]
    )
    assert "Het loket" in text and "Wil je bellen?" in text
    assert any("intrekken" in b["payload"] for b in vervolg_buttons("bevestigd"))
    assert not any("intrekken" in b["payload"] for b in vervolg_buttons("ingetrokken"))


def test_persona_guidance() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    def said(rol: str | None, categorie: str = "pesten") -> list[str]:
        dispatcher = CollectingDispatcher()
        utter_guidance(dispatcher, rol, categorie)
        return [m["text"] for m in dispatcher.messages]

    leader = said("leidinggevende")
    assert len(leader) == 1 and STAP_VP in leader[0] and "leidinggevende" in leader[0]
    assert "opstander" in said("omstander")[0]
    assert "buiten je team" in said("aspirant")[0]
    assert said("betrokkene") == [] and said(None) == []


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
