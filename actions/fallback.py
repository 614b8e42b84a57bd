"""Two-stage fallback: first 'did you mean …?' buttons, then the main menu."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction
from actions.listening import situation_buttons, situation_ranking
from actions.routeboekje_data import categorie_codes, categorie_label
from actions.texts import say
from bot.text_normalisation import word_count

LABELS = {
    "wil_vertellen": "Ik wil vertellen wat er is gebeurd",
    "wil_praten": "Ik wil met iemand praten",
    "alleen_informatie": "Ik wil alleen informatie",
    "heb_meldcode": "Ik heb een meldcode",
    "stop": "Ik wil stoppen",
    "acuut_gevaar": "Ik ben in gevaar",
}
MENU = [
    {"title": LABELS["wil_vertellen"], "payload": "/wil_vertellen"},
    {"title": LABELS["alleen_informatie"], "payload": "/alleen_informatie"},
    {"title": LABELS["wil_praten"], "payload": "/wil_praten"},
    {"title": LABELS["stop"], "payload": "/stop"},
]
MIN_WORDS_AS_STORY = 5
# Emoji or words that say how someone feels: the bot reflects that before asking.
FEELING = re.compile(
    r"[\U0001F600-\U0001F64F\U0001F900-\U0001F9FF\u2639\u263a]|\b(boos|kwaad|verdrietig|bang|"
    r"angstig|klaar mee|ben er klaar|zat|moe|kapot|huil\w*|kut|shit|pissig|gefrustreerd|"
    r"onzeker|eenzaam)\b"
)


def _candidate_button(intent: str) -> dict[str, str] | None:
    if intent.startswith("situatie_") and intent[9:] in categorie_codes():
        code = intent[9:]
        return {
            "title": f"Het gaat over {categorie_label(code)}",
            "payload": f'/kies_categorie{{"categorie":"{code}"}}',
        }
    if intent in LABELS:
        return {"title": LABELS[intent], "payload": f"/{intent}"}
    return None


def _previous_was_fallback(tracker: Tracker) -> bool:
    actions = [
        e.get("name")
        for e in tracker.events
        if e.get("event") == "action" and e.get("name") != "action_listen"
    ]
    # The running action is not in the events yet: the last one is the previous turn.
    return bool(actions) and actions[-1] == "action_fallback_knoppen"


class ActionFallbackKnoppen(NamedAction):
    action_name = "action_fallback_knoppen"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        if _previous_was_fallback(tracker):
            say(dispatcher, "niet_begrepen", buttons=MENU)
            return []
        message = tracker.latest_message
        ranking = message.get("intent_ranking") or []
        text = (message.get("text") or "").strip()
        is_story = word_count(text) >= MIN_WORDS_AS_STORY and not text.startswith("/")
        feeling = bool(FEELING.search(text.lower()))
        earlier = tracker.get_slot("beschrijving")
        situations = [r for r in situation_ranking(message) if r[1] >= 0.05][:3]
        if is_story and len(situations) >= 2 and not (feeling and situations[0][1] < 0.3):
            # Someone told what happened in words the model is unsure about:
            # listen first, keep the words, then let them say what fits best.
            say(dispatcher, "dank_voor_verhaal")
            codes = [code for code, _ in situations]
            say(dispatcher, "welke_situatie", begrip="", buttons=situation_buttons(codes))
            return [
                SlotSet("beschrijving", f"{earlier}\n{text}" if earlier else text),
                SlotSet("fase", "categorie_keuze"),
            ]
        buttons = [b for b in (_candidate_button(r.get("name", "")) for r in ranking[:4]) if b][:3]
        if len(buttons) >= 2 and not any("kies_categorie" in b["payload"] for b in buttons):
            say(
                dispatcher,
                "bedoel_je",
                buttons=[*buttons, {"title": "Iets anders", "payload": "/wil_vertellen"}],
            )
            return []
        # Unsure, but still listening: reflect a feeling, invite the story, keep the words.
        say(dispatcher, "vertel_gerust" if feeling else "vertel_neutraal", buttons=MENU[1:])
        if feeling or is_story:
            return [SlotSet("beschrijving", f"{earlier}\n{text}" if earlier else text)]
        return []
