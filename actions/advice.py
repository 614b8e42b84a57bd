"""Explain the routing advice of the backend and let the melder choose."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import backend_client
from actions.melding import INTAKE_SLOTS, routing_request
from actions.personas import guidance

MAX_OPTIONS = 4


def _contact_text(contact: dict[str, Any]) -> str:
    parts = [str(v) for k, v in contact.items() if v and k != "openingstijden"]
    return ", ".join(parts)


def option_text(number: int, advies: dict[str, Any]) -> str:
    text = (
        f"{number}. {advies['naam']}\n{advies['waarom']}\n"
        f"Wat gebeurt er daarna? {advies['wat_gebeurt_er']}"
    )
    if not advies.get("ontvangt_digitaal"):
        contact = _contact_text(advies.get("contact") or {})
        text += "\nHier neem je zelf contact op" + (f": {contact}." if contact else ".")
    return text


def shown_options(advies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first options, plus the first loket that receives digitally if none is."""
    shown = advies[:MAX_OPTIONS]
    if not any(a.get("ontvangt_digitaal") for a in shown):
        shown += [a for a in advies[MAX_OPTIONS:] if a.get("ontvangt_digitaal")][:1]
    return shown


class ActionRouteadvies(Action):
    def name(self) -> str:
        return "action_routeadvies"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slots = {name: tracker.get_slot(name) for name in (*INTAKE_SLOTS, "categorie")}
        try:
            advies = await backend_client.routeadvies(routing_request(slots))
        except backend_client.BackendUnavailable:
            dispatcher.utter_message(
                text="Het lukt me nu niet om het routeboekje op te halen. Er is niets "
                "verloren. Probeer het zo nog eens, of praat met een vertrouwenspersoon.",
                buttons=[
                    {"title": "Probeer opnieuw", "payload": "/toon_advies"},
                    {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
                    {"title": "Stoppen", "payload": "/stop"},
                ],
            )
            return [SlotSet("fase", "keuze")]
        shown = shown_options(advies)
        if tracker.get_slot("fase") != "keuze":  # not again when the advice is renewed
            for text in guidance(slots.get("rol_melder"), slots.get("anoniem") != "nee"):
                dispatcher.utter_message(text=text)
        dispatcher.utter_message(
            text="Dank je voor je antwoorden. Dit zijn je mogelijkheden. Jij kiest. "
            "Er gaat niets weg zonder jouw ja."
        )
        for number, item in enumerate(shown, start=1):
            dispatcher.utter_message(text=option_text(number, item))
        buttons = [
            {
                "title": f"Stuur mijn melding naar: {item['naam']}",
                "payload": f'/kies_loket{{"gekozen_loket":"{item["loket"]}"}}',
            }
            for item in shown
            if item.get("ontvangt_digitaal")
        ]
        buttons += [
            {"title": "Alleen informatie, niets versturen", "payload": "/alleen_informatie"},
            {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
        ]
        dispatcher.utter_message(text="Wat wil je doen?", buttons=buttons)
        keep = ("loket", "naam", "ontvangt_digitaal", "anoniem_mogelijk")
        return [
            SlotSet("advies", [{k: item.get(k) for k in keep} for item in shown]),
            SlotSet("fase", "keuze"),
        ]
