"""The intake questions, each with a button for every answer (action_ask_<slot>)."""

from __future__ import annotations

import json

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_answers import OPTIONS
from actions.personas import WENS_OPTIONS
from actions.routeboekje_data import eenheid_codes, eenheid_naam

TEXT_QUESTIONS = {
    "beschrijving": "Vertel in je eigen woorden wat er is gebeurd. Namen zijn niet nodig.",
    "meldcode": (
        "Typ je meldcode. Die heeft 16 letters en cijfers, bijvoorbeeld "
        "7KQ4-M2XD-9RTA-HB3C. Hoofdletters en streepjes maken niet uit."
    ),
    "bericht_tekst": (
        "Typ je bericht voor het loket. Het gaat versleuteld naar het loket; "
        "alleen het loket kan het lezen."
    ),
}

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
    "toestemming_doorsturen": (
        "Soms past een ander loket beter. Mag het loket je melding dan doorsturen? "
        "Dat gebeurt alleen als jij nu ja zegt."
    ),
}


def answer_buttons(slot: str, rol_melder: str | None = None) -> list[dict[str, str]]:
    if slot == "eenheid":
        options = [(code, eenheid_naam(code)) for code in eenheid_codes()]
    elif slot == "wens" and rol_melder in WENS_OPTIONS:
        options = WENS_OPTIONS[rol_melder]  # the same codes, in this melder's words
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
        if self.slot in TEXT_QUESTIONS:
            dispatcher.utter_message(text=TEXT_QUESTIONS[self.slot])
        else:
            buttons = answer_buttons(self.slot, tracker.get_slot("rol_melder"))
            dispatcher.utter_message(text=QUESTIONS[self.slot], buttons=buttons)
        return []


class ActionAskBeschrijving(_AskAction):
    slot = "beschrijving"


class ActionAskMeldcode(_AskAction):
    slot = "meldcode"


class ActionAskBerichtTekst(_AskAction):
    slot = "bericht_tekst"


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


class ActionAskToestemmingDoorsturen(_AskAction):
    slot = "toestemming_doorsturen"
