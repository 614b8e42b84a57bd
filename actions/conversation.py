"""Listening, confirming the situation, and the melder's controls (stop, info, talk)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction
from actions.intake_form import not_asked
from actions.office_hours import outside_office_hours
from actions.personas import utter_guidance
from actions.routeboekje_data import (
    categorie_codes,
    categorie_label,
    eenheid_codes,
    eenheid_naam,
    loket_contact,
    loket_lines,
)
from actions.texts import say

BUTTONS_NA_INFO = [
    {"title": "Ik wil vertellen wat er is gebeurd", "payload": "/wil_vertellen"},
    {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
    {"title": "Stoppen", "payload": "/stop"},
]


# The lokets "alleen informatie" lists, one line each.
INFORMATIE_LOKETS = (
    "vertrouwenspersoon",
    "vik",
    "klachtencommissie",
    "meldpunt_misstanden",
    "ombudsfunctionaris",
    "udr_kernteam",
    "collegiale_ondersteuning",
)


def categorie_buttons() -> list[dict[str, str]]:
    return [
        {
            "title": categorie_label(code).capitalize(),
            "payload": f'/kies_categorie{{"categorie":"{code}"}}',
        }
        for code in categorie_codes()
    ]


def entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


class ActionKiesCategorie(NamedAction):
    action_name = "action_kies_categorie"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "kies_categorie", buttons=categorie_buttons())
        return [SlotSet("fase", "categorie_keuze")]


INTAKE_QUESTIONS = ("eenheid", "rol_melder", "rol_ander", "eerder_gemeld", "wens")


class ActionStartIntake(NamedAction):
    """Take a chosen situation (if any), give the melder's own guidance, and say how
    many questions are left (only what the story did not tell).

    The rules run ``intake_form`` right after this action.
    """

    action_name = "action_start_intake"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        events: list[EventType] = [SlotSet("fase", None)]
        chosen = entity(tracker, "categorie")
        if chosen not in categorie_codes() and not tracker.get_slot("categorie"):
            return await ActionKiesCategorie().run(dispatcher, tracker, domain)
        if chosen in categorie_codes():
            events.append(SlotSet("categorie", chosen))
        if tracker.get_slot("gekozen_loket"):
            # A correction: the advice is made again from the new answers.
            events.append(SlotSet("gekozen_loket", None))
            return events
        utter_guidance(
            dispatcher,
            tracker.get_slot("rol_melder"),
            chosen or tracker.get_slot("categorie"),
            rol_ander=tracker.get_slot("rol_ander"),
        )
        categorie = chosen or tracker.get_slot("categorie")
        skip = not_asked(categorie, tracker.get_slot("rol_melder"))
        missing = [s for s in INTAKE_QUESTIONS if not tracker.get_slot(s) and s not in skip]
        if len(missing) == 1:
            say(dispatcher, "nog_een_vraag")
        elif missing:
            say(dispatcher, "nog_vragen", aantal=str(len(missing)))
        return events


class ActionStop(NamedAction):
    action_name = "action_stop"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "gestopt")
        return [Restarted()]


class ActionAlleenInformatie(NamedAction):
    """Information only: nothing is sent; explain the routeboekje briefly."""

    action_name = "action_alleen_informatie"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "alleen_informatie")
        dispatcher.utter_message(text=loket_lines(INFORMATIE_LOKETS))
        say(dispatcher, "wil_je_verder", buttons=BUTTONS_NA_INFO)
        return [SlotSet("fase", None)]


class ActionWilPraten(NamedAction):
    """A warm hand-off: the vertrouwenspersoon of the melder's eenheid."""

    action_name = "action_wil_praten"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        eenheid = entity(tracker, "eenheid") or tracker.get_slot("eenheid")
        if eenheid not in eenheid_codes():
            events: list[EventType] = [SlotSet("fase", "praten_eenheid")]
            say(
                dispatcher,
                "praten_welke_eenheid",
                buttons=[
                    {
                        "title": eenheid_naam(code),
                        "payload": f'/wil_praten{{"eenheid":"{code}"}}',
                    }
                    for code in eenheid_codes()
                ],
            )
            return events
        contact = loket_contact("vertrouwenspersoon", eenheid)
        contact_lines = "\n".join(f"• {k}: {v}" for k, v in contact.items() if v)
        say(
            dispatcher,
            "vertrouwenspersoon",
            eenheid_naam=eenheid_naam(eenheid),
            contact=contact_lines,
        )
        say(dispatcher, "praten_nacht" if outside_office_hours() else "praten_dag")
        say(dispatcher, "eerste_gesprek", buttons=BUTTONS_NA_INFO)
        return [SlotSet("eenheid", eenheid), SlotSet("fase", None)]


def slot_values(tracker: Tracker, names: list[str]) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in names}
