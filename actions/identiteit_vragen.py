"""The melding form's questions about anonymity and identity, and their checks.

Anonymous is the default. A melder who wants to be known, or who chose a loket that
cannot handle an anonymous melding (the routeboekje's ``anoniem_mogelijk``, e.g. a
klacht), is asked for a name and one way to be reached; nothing more.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction, button
from actions.identiteit import (
    VIA_MELDCODE,
    anoniem_mogelijk,
    clean_naam,
    naam_probleem,
    read_contact,
)
from actions.intake_answers import OPTIONS, match_typed_answer
from actions.routeboekje_data import loket_field, loket_naam
from actions.texts import say, text

IK_GEEF_MIJN_NAAM = button("Ik geef mijn naam", '/inform{"anoniem": "nee"}')
TOCH_ANONIEM = button("Toch anoniem blijven", '/inform{"anoniem": "ja"}')
ALLEEN_MELDCODE = button(
    "Alleen via Meldwijzer met mijn meldcode", '/inform{"melder_contact": "meldcode"}'
)
STOPPEN = button("Stoppen", "/stop")


def _loket(tracker: Tracker) -> tuple[str, bool]:
    """The chosen loket's name and whether it accepts an anonymous melding."""
    code = tracker.get_slot("gekozen_loket")
    return loket_naam(code or ""), anoniem_mogelijk(tracker.get_slot("advies"), code)


def _anonymous_alternatives(tracker: Tracker) -> list[dict[str, str]]:
    """A button per advised loket that receives digitally and accepts anonymous meldingen."""
    chosen = tracker.get_slot("gekozen_loket")
    return [
        button(f"Anoniem naar: {a['naam']}", f'/kies_loket{{"gekozen_loket":"{a["loket"]}"}}')
        for a in tracker.get_slot("advies") or []
        if a.get("ontvangt_digitaal") and a.get("anoniem_mogelijk") and a.get("loket") != chosen
    ]


def _latest_entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


class ActionAskAnoniem(NamedAction):
    """Anonymous or not; for a loket that needs a name, say so plainly and offer a way out."""

    action_name = "action_ask_anoniem"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        naam, anoniem_ok = _loket(tracker)
        if anoniem_ok:
            buttons = [
                {"title": title, "payload": "/inform" + json.dumps({"anoniem": value})}
                for value, title in OPTIONS["anoniem"]
            ]
            say(dispatcher, "vraag_anoniem", buttons=buttons)
            return []
        uitleg = loket_field(tracker.get_slot("gekozen_loket") or "", "anoniem_uitleg")
        alternatives = _anonymous_alternatives(tracker)
        say(
            dispatcher,
            "naam_nodig" if alternatives else "naam_nodig_geen_ander",
            uitleg=uitleg or text("niet_anoniem_bij_loket", loket=naam),
            loket=naam,
            buttons=[IK_GEEF_MIJN_NAAM, *alternatives, STOPPEN],
        )
        return []


class ActionAskMelderNaam(NamedAction):
    action_name = "action_ask_melder_naam"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        # Also where the loket needs a name: the melder then hears why, and the way out.
        naam, _ = _loket(tracker)
        say(dispatcher, "vraag_melder_naam", loket=naam, buttons=[TOCH_ANONIEM])
        return []


class ActionAskMelderContact(NamedAction):
    action_name = "action_ask_melder_contact"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        naam, anoniem_ok = _loket(tracker)
        if anoniem_ok:
            key = "vraag_melder_contact_of_meldcode"
            say(dispatcher, key, loket=naam, buttons=[ALLEEN_MELDCODE])
        else:
            say(dispatcher, "vraag_melder_contact", loket=naam)
        return []


def extract_anoniem(tracker: Tracker) -> dict[str, Any]:
    """ "Toch anoniem blijven" clicked while the form asks for the name."""
    if tracker.get_slot("requested_slot") == "anoniem":
        return {}  # the domain's mappings read it
    value = _latest_entity(tracker, "anoniem")
    if tracker.get_intent_of_latest_message() == "inform" and value in ("ja", "nee"):
        return {"anoniem": value}
    return {}


def validate_anoniem(value: Any, dispatcher: Dispatcher, tracker: Tracker) -> dict[str, Any]:
    naam, anoniem_ok = _loket(tracker)
    if value == "weet_niet":
        if not anoniem_ok:
            return {"anoniem": None}  # asked again, with the way out
        say(dispatcher, "anoniem_weet_niet")
        return {"anoniem": "ja", "melder_naam": None, "melder_contact": None}
    if value not in ("ja", "nee"):
        typed = isinstance(value, str) and not value.startswith("/")
        value = match_typed_answer("anoniem", value) if typed else None
    if value is None:
        say(dispatcher, "kies_een_knop")
        return {"anoniem": None}
    if value == "nee":
        return {"anoniem": "nee"}
    if not anoniem_ok:
        say(dispatcher, "anoniem_kan_hier_niet", loket=naam)
        return {"anoniem": None}
    say(dispatcher, "anoniem_eerlijk")
    # A name given earlier is forgotten: an anonymous melding carries none.
    return {"anoniem": "ja", "melder_naam": None, "melder_contact": None}


def validate_melder_naam(value: Any, dispatcher: Dispatcher, tracker: Tracker) -> dict[str, Any]:
    if value == "weet_niet":
        # Not sure about giving a name: back to the anonymity question.
        say(dispatcher, "naam_weet_niet")
        return {"melder_naam": None, "anoniem": None}
    if _latest_entity(tracker, "anoniem") is not None:
        return {"melder_naam": None}  # the "Toch anoniem blijven" button, not a name
    probleem = naam_probleem(value)
    if probleem:
        say(dispatcher, probleem)
        return {"melder_naam": None}
    return {"melder_naam": clean_naam(value)}


def validate_melder_contact(value: Any, dispatcher: Dispatcher, tracker: Tracker) -> dict[str, Any]:
    naam, anoniem_ok = _loket(tracker)
    contact = VIA_MELDCODE if value == "weet_niet" else read_contact(value)
    if contact is None:
        say(dispatcher, "contact_onduidelijk")
        return {"melder_contact": None}
    if contact == VIA_MELDCODE and not anoniem_ok:
        say(dispatcher, "contact_nodig", loket=naam)
        return {"melder_contact": None}
    if value == "weet_niet":
        say(dispatcher, "contact_via_meldcode")
    return {"melder_contact": contact}
