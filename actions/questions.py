"""The intake questions, each with a button for every answer (action_ask_<slot>)."""

from __future__ import annotations

import json

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction
from actions.intake_answers import OPTIONS
from actions.personas import WENS_OPTIONS
from actions.routeboekje_data import eenheid_codes, eenheid_naam
from actions.texts import say

# slot -> the question's text in bot/texts.yml; these three are answered by typing.
QUESTIONS = {
    "beschrijving": "vraag_beschrijving",
    "meldcode": "vraag_meldcode",
    "bericht_tekst": "vraag_bericht_tekst",
    "eenheid": "vraag_eenheid",
    "rol_melder": "vraag_rol_melder",
    "sinds_wanneer": "vraag_sinds_wanneer",
    "rol_ander": "vraag_rol_ander",
    "eerder_gemeld": "vraag_eerder_gemeld",
    "wens": "vraag_wens",
    "anoniem": "vraag_anoniem",
    "toestemming_doorsturen": "vraag_toestemming_doorsturen",
}
TYPED = ("beschrijving", "meldcode", "bericht_tekst")


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


class _AskAction(NamedAction):
    """Asks the question of ``slot``; one subclass per question, made below."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        buttons = None
        if self.slot not in TYPED:
            buttons = answer_buttons(self.slot, tracker.get_slot("rol_melder"))
        key = QUESTIONS[self.slot]
        if self.slot == "bericht_tekst" and tracker.get_slot("bericht_soort") == "bewaard":
            key = "vraag_bewaard_tekst"  # an addition to a bewaarmelding: no loket reads it
        say(dispatcher, key, buttons=buttons)
        return []


# action_ask_<slot> for every question (Rasa SDK registers each subclass of Action);
# anonymity and identity are asked in actions/identiteit_vragen.py.
OWN_ASK_ACTIONS = ("anoniem",)
ASK_ACTIONS = tuple(
    type(f"ActionAsk_{slot}", (_AskAction,), {"slot": slot})
    for slot in QUESTIONS
    if slot not in OWN_ASK_ACTIONS
)
