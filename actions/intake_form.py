"""Validation of the intake form: buttons first, typed answers understood too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, NamedFormValidation
from actions.identiteit import SLOTS as IDENTITY_SLOTS
from actions.identiteit import anoniem_mogelijk, niet_meer_passend
from actions.identiteit_vragen import (
    extract_anoniem,
    validate_anoniem,
    validate_melder_contact,
    validate_melder_naam,
)
from actions.intake_answers import OPTIONS, match_typed_answer
from actions.personas import utter_guidance
from actions.routeboekje_data import categorie_groep, eenheid_codes, eenheid_naam
from actions.texts import say

MIN_DESCRIPTION_WORDS = 3
EENHEID_ALIASES = {
    "haaglanden": "den-haag",
    "zwb": "zeeland-west-brabant",
    "le": "landelijke-eenheid",
    "pa": "politieacademie",
    "adam": "amsterdam",
    "a'dam": "amsterdam",
    "nnl": "noord-nederland",
    "onl": "oost-nederland",
    "mnl": "midden-nederland",
    "nh": "noord-holland",
    "skl": "staf-korpsleiding",
    "staf": "staf-korpsleiding",
}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9']+", "-", text.lower()).strip("-")


def match_eenheid(text: str) -> str | None:
    words = _norm(text)
    candidates = {code: code for code in eenheid_codes()}
    candidates.update({_norm(eenheid_naam(code)): code for code in eenheid_codes()})
    candidates.update(EENHEID_ALIASES)
    for name, code in sorted(candidates.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(^|-){re.escape(name)}($|-)", words):
            return code
    return None


def not_asked(categorie: str | None, rol_melder: str | None) -> set[str]:
    """Questions that do not matter for the advice or the melding here (ontwerpkeuze):
    after an incident or a moral dilemma (zorg) there is no "other" to name and the
    routing does not escalate on an earlier melding; a leader who got a signal is asked
    about the signal, not about who "the other" is."""
    skip: set[str] = set()
    if categorie_groep(categorie or "") == "zorg":
        skip |= {"rol_ander", "eerder_gemeld"}
    if rol_melder == "leidinggevende":
        skip.add("rol_ander")
    return skip


def _is_payload(text: str) -> bool:
    return text.startswith("/")


class _OptionValidation(NamedFormValidation):
    """Buttons first; typed answers matched to an option (actions/intake_answers.py)."""

    action_name = "_option_validation"  # a base class; Rasa SDK registers every subclass

    def _option(self, slot: str, value: Any, dispatcher: Dispatcher) -> dict[str, Any]:
        allowed = [v for v, _ in OPTIONS[slot]]
        if isinstance(value, str) and value in allowed:
            return {slot: value}
        if isinstance(value, str) and not _is_payload(value):
            matched = match_typed_answer(slot, value)
            if matched:
                return {slot: matched}
        say(dispatcher, "kies_een_knop")
        return {slot: None}


Validator = Callable[[_OptionValidation, Any, Dispatcher, Tracker, DomainDict], dict[str, Any]]


def _option_slot(slot: str, weet_niet: tuple[str, str] | None = None) -> Validator:
    """``validate_<slot>`` for a question answered with one of its options; ``weet_niet``:
    the answer taken when the melder does not know, and the text that says so."""

    def validate(
        form: _OptionValidation, value: Any, dispatcher: Dispatcher, tracker: Tracker, _: DomainDict
    ) -> dict[str, Any]:
        if weet_niet and value == "weet_niet":
            say(dispatcher, weet_niet[1])
            return {slot: weet_niet[0]}
        return form._option(slot, value, dispatcher)

    return validate


class ValidateIntakeForm(_OptionValidation):
    """The questions before the advice: only what the story did not tell."""

    action_name = "validate_intake_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: Dispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Only the questions that matter for this situation and this melder; a field the
        melder chose to correct is asked first."""
        slots = [
            slot
            for slot in domain_slots
            if slot not in not_asked(tracker.get_slot("categorie"), tracker.get_slot("rol_melder"))
        ]
        veld = None
        if tracker.get_intent_of_latest_message() == "corrigeer":
            veld = next(tracker.get_latest_entity_values("veld"), None)
        if veld in slots:
            return [veld, *(slot for slot in slots if slot != veld)]
        return slots

    def validate_beschrijving(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = value.strip() if isinstance(value, str) else ""
        if _is_payload(text) or len(text.split()) < MIN_DESCRIPTION_WORDS:
            say(dispatcher, "meer_vertellen")
            return {"beschrijving": None}
        return {"beschrijving": text}

    def validate_eenheid(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, str) and value in eenheid_codes():
            return {"eenheid": value}
        if isinstance(value, str) and not _is_payload(value):
            matched = match_eenheid(value)
            if matched:
                return {"eenheid": matched}
        say(dispatcher, "eenheid_onbekend")
        return {"eenheid": None}

    def validate_rol_melder(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "weet_niet":
            return {"rol_melder": "betrokkene"}
        result = self._option("rol_melder", value, dispatcher)
        # The melder's own guidance comes as soon as the bot knows who they are: here when
        # they answer the question (a role from the story got it at the start already).
        if tracker.get_slot("requested_slot") == "rol_melder":
            utter_guidance(
                dispatcher,
                result["rol_melder"],
                tracker.get_slot("categorie"),
                rol_ander=tracker.get_slot("rol_ander"),
            )
        return result

    validate_rol_ander = _option_slot("rol_ander")

    validate_eerder_gemeld = _option_slot("eerder_gemeld")

    validate_wens = _option_slot("wens")


class ValidateMeldingForm(_OptionValidation):
    """The questions after a loket was chosen: what the melding itself needs."""

    action_name = "validate_melding_form"

    async def extract_gekozen_loket(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A loket button clicked while the form asks for one."""
        if tracker.get_intent_of_latest_message() != "kies_loket":
            return {}
        chosen = next(tracker.get_latest_entity_values("gekozen_loket"), None)
        return {"gekozen_loket": chosen}

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: Dispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The name and a way to be reached only when the melder is not anonymous."""
        if tracker.get_slot("anoniem") == "nee":
            return domain_slots
        return [slot for slot in domain_slots if slot not in IDENTITY_SLOTS]

    async def extract_anoniem(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return extract_anoniem(tracker)

    def validate_gekozen_loket(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        advies = tracker.get_slot("advies") or []
        digital = {a["loket"] for a in advies if a.get("ontvangt_digitaal")}
        if value not in digital:
            return {"gekozen_loket": None}
        # "Anonymous" or "only via the meldcode" is asked again where the loket needs a name.
        slots = {slot: tracker.get_slot(slot) for slot in ("anoniem", "melder_contact")}
        return {"gekozen_loket": value, **niet_meer_passend(slots, anoniem_mogelijk(advies, value))}

    validate_sinds_wanneer = _option_slot("sinds_wanneer")

    def validate_anoniem(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return validate_anoniem(value, dispatcher, tracker)

    def validate_melder_naam(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return validate_melder_naam(value, dispatcher, tracker)

    def validate_melder_contact(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return validate_melder_contact(value, dispatcher, tracker)

    validate_toestemming_doorsturen = _option_slot(
        "toestemming_doorsturen", weet_niet=("nee", "niet_doorsturen")
    )
