"""Validation of the intake form: buttons first, typed answers understood too."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.intake_answers import OPTIONS, match_typed_answer
from actions.routeboekje_data import eenheid_codes, eenheid_naam

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


def _is_payload(text: str) -> bool:
    return text.startswith("/")


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_intake_form"

    def _option(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        allowed = [v for v, _ in OPTIONS[slot]]
        if isinstance(value, str) and value in allowed:
            return {slot: value}
        if isinstance(value, str) and not _is_payload(value):
            matched = match_typed_answer(slot, value)
            if matched:
                return {slot: matched}
        dispatcher.utter_message(
            text="Dat heb ik niet goed begrepen. Kies een van de knoppen, dan weet ik het zeker."
        )
        return {slot: None}

    def validate_beschrijving(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        text = value.strip() if isinstance(value, str) else ""
        if _is_payload(text) or len(text.split()) < MIN_DESCRIPTION_WORDS:
            dispatcher.utter_message(
                text="Kun je er iets meer over vertellen? Een paar zinnen is genoeg. "
                "Namen zijn niet nodig."
            )
            return {"beschrijving": None}
        return {"beschrijving": text}

    def validate_eenheid(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if isinstance(value, str) and value in eenheid_codes():
            return {"eenheid": value}
        if isinstance(value, str) and not _is_payload(value):
            matched = match_eenheid(value)
            if matched:
                return {"eenheid": matched}
        dispatcher.utter_message(
            text="Ik herken die eenheid niet. Kies je eenheid met een knop. "
            "Dan weet ik welk loket bij jou hoort."
        )
        return {"eenheid": None}

    def validate_rol_melder(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "weet_niet":
            return {"rol_melder": "betrokkene"}
        return self._option("rol_melder", value, dispatcher)

    def validate_sinds_wanneer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._option("sinds_wanneer", value, dispatcher)

    def validate_rol_ander(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._option("rol_ander", value, dispatcher)

    def validate_eerder_gemeld(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._option("eerder_gemeld", value, dispatcher)

    def validate_wens(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._option("wens", value, dispatcher)

    def validate_anoniem(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "weet_niet":
            dispatcher.utter_message(
                text="Dan houd ik het anoniem. Dat is het veiligst. "
                "Je kunt het later nog veranderen."
            )
            return {"anoniem": "ja"}
        return self._option("anoniem", value, dispatcher)

    def validate_toestemming_doorsturen(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "weet_niet":
            dispatcher.utter_message(text="Dan stuurt het loket je melding niet door.")
            return {"toestemming_doorsturen": "nee"}
        return self._option("toestemming_doorsturen", value, dispatcher)
