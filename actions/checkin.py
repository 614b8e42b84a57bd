"""Check-ins after a melding in the chat (docs/checkin.md): the melder's answer, sealed
here in the action server and sent signed; after "Ja" an optional text goes with it.

Flow: actions/follow_up.py shows the status and, when a check-in is open, asks the
question (actions/checkin_vraag.py). "Nee" and "Weet ik niet" are sent at once. "Ja"
first says what the melder can do, then asks whether they want to tell more
(``checkin_form`` for the text) or send the answer as it is. "Nu niet" leaves the
question open until the next moment.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import backend_client, melder_agent
from actions.base import Dispatcher, Events, NamedAction, NamedFormValidation, button
from actions.follow_up import (
    MAX_BERICHT,
    _backend_problem,
    _code_forgotten,
    _meldcode,
    vervolg_buttons,
)
from actions.termijn_tekst import datum
from actions.texts import say
from envelope.checkin import ANTWOORDEN


class ActionCheckinAntwoord(NamedAction):
    """A button answer: "nee" and "weet_niet" are sent now; "ja" asks for a text first."""

    action_name = "action_checkin_antwoord"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        antwoord = next(tracker.get_latest_entity_values("checkin_antwoord"), None)
        if antwoord not in ANTWOORDEN:
            say(dispatcher, "checkin_kies", buttons=vervolg_buttons("in_behandeling"))
            return []
        if antwoord == "ja":
            say(dispatcher, "checkin_na_ja")
            say(
                dispatcher,
                "checkin_vertel_vraag",
                buttons=[
                    button("Ja, ik vertel iets", "/checkin_vertel"),
                    button("Nee, stuur alleen mijn antwoord", "/checkin_zonder_tekst"),
                ],
            )
            return [SlotSet("checkin_antwoord", "ja"), SlotSet("checkin_tekst", None)]
        return [SlotSet("checkin_antwoord", None), *await _send(dispatcher, tracker, antwoord)]


class ActionCheckinVerstuur(NamedAction):
    """Send the "ja" of this conversation, with the text if the melder typed one."""

    action_name = "action_checkin_verstuur"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        reset = [SlotSet("checkin_antwoord", None), SlotSet("checkin_tekst", None)]
        if tracker.get_slot("checkin_antwoord") != "ja":
            say(dispatcher, "checkin_kies", buttons=vervolg_buttons("in_behandeling"))
            return reset
        tekst = tracker.get_slot("checkin_tekst")
        return [*reset, *await _send(dispatcher, tracker, "ja", tekst)]


class ActionCheckinLater(NamedAction):
    action_name = "action_checkin_later"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "checkin_later", buttons=vervolg_buttons("in_behandeling"))
        return [SlotSet("checkin_antwoord", None)]


class ActionAskCheckinTekst(NamedAction):
    action_name = "action_ask_checkin_tekst"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "vraag_checkin_tekst")
        return []


class ValidateCheckinForm(NamedFormValidation):
    action_name = "validate_checkin_form"

    def validate_checkin_tekst(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        tekst = str(value or "").strip()
        if not tekst or tekst.startswith("/"):
            say(dispatcher, "typ_bericht")
            return {"checkin_tekst": None}
        if len(tekst) > MAX_BERICHT:
            say(dispatcher, "bericht_te_lang", max_tekens=str(MAX_BERICHT))
            return {"checkin_tekst": None}
        return {"checkin_tekst": tekst}


async def _send(
    dispatcher: Dispatcher, tracker: Tracker, antwoord: str, tekst: str | None = None
) -> list[EventType]:
    meldcode = _meldcode(tracker)
    if meldcode is None:
        return _code_forgotten(dispatcher)
    try:
        antwoord_out = await melder_agent.melder_checkin(meldcode, antwoord, tekst)
    except backend_client.BackendUnavailable as error:
        return _backend_problem(dispatcher, error)
    say(dispatcher, "checkin_gestuurd")
    volgende = antwoord_out.get("volgende")
    buttons = vervolg_buttons("in_behandeling")
    if volgende:
        say(dispatcher, "checkin_volgende", buttons=buttons, datum=datum(volgende))
    else:
        say(dispatcher, "checkin_laatste", buttons=buttons)
    return []
