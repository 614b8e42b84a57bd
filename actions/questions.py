"""The intake questions, each with a button for every answer (action_ask_<slot>)."""

from __future__ import annotations

import json

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_answers import OPTIONS
from actions.routeboekje_data import eenheid_codes, eenheid_naam

QUESTIONS = {
    "eenheid": "Bij welke eenheid werk je? Dan weet ik welk loket bij jou hoort.",
    "rol_melder": "Wie ben jij in dit verhaal?",
    "sinds_wanneer": "Sinds wanneer speelt dit? Of hoe vaak gebeurt het?",
    "rol_ander": "Wie is de ander? Noem alleen de rol, geen naam.",
    "eerder_gemeld": "Heb je dit al eerder gemeld, bijvoorbeeld bij een leidinggevende?",
    "wens": "Wat zou je het liefst willen?",
    "anoniem": (
        "Wil je anoniem blijven? Dan weet het loket niet wie je bent. Je kunt dan "
        "toch met het loket berichten uitwisselen, via je meldcode."
    ),
}


def answer_buttons(slot: str) -> list[dict[str, str]]:
    if slot == "eenheid":
        options = [(code, eenheid_naam(code)) for code in eenheid_codes()]
    else:
        options = OPTIONS[slot]
    return [
        {"title": title, "payload": "/inform" + json.dumps({slot: value})}
        for value, title in options
    ]


class _AskAction(Action):
    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=QUESTIONS[self.slot], buttons=answer_buttons(self.slot))
        return []


class ActionAskEenheid(_AskAction):
    slot = "eenheid"


class ActionAskRolMelder(_AskAction):
    slot = "rol_melder"


class ActionAskSindsWanneer(_AskAction):
    slot = "sinds_wanneer"


class ActionAskRolAnder(_AskAction):
    slot = "rol_ander"


class ActionAskEerderGemeld(_AskAction):
    slot = "eerder_gemeld"


class ActionAskWens(_AskAction):
    slot = "wens"


class ActionAskAnoniem(_AskAction):
    slot = "anoniem"
