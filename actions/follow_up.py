"""Follow-up with a meldcode: status, the dates of its term, messages, reply, add, withdraw."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import backend_client, bewaarmelding, checkin_vraag, melder_agent
from actions.base import KLAAR, PRATEN, Dispatcher, Events, NamedAction, NamedFormValidation, button
from actions.ontvangstbewijs import attach_receipt
from actions.routeboekje_data import loket_naam
from actions.termijn_tekst import datum, status_termijn
from actions.texts import say, text
from envelope.meldcode import MeldcodeFormatError, format_meldcode
from envelope.meldcode_woorden import UnknownMeldwoordError, WordCountError

MAX_BERICHT = 5000

# status -> its sentence in bot/texts.yml
STATUS_TEKST = {
    "ontvangen": "status_ontvangen",
    "bevestigd": "status_bevestigd",
    "in_behandeling": "status_in_behandeling",
    "doorverwezen": "status_doorverwezen",
    "afgerond": "status_afgerond",
    "ingetrokken": "status_ingetrokken",
}


def vervolg_buttons(status: str) -> list[dict[str, str]]:
    buttons = []
    if status not in ("ingetrokken", "afgerond"):
        buttons += [
            {
                "title": "Reageer op het loket",
                "payload": '/melder_schrijf{"bericht_soort":"bericht"}',
            },
            {"title": "Iets toevoegen", "payload": '/melder_schrijf{"bericht_soort":"aanvulling"}'},
            {"title": "Melding intrekken", "payload": "/melder_intrekken"},
        ]
    buttons.append(KLAAR)
    return buttons


def status_text(status: dict[str, Any]) -> str:
    code = status["status"]
    lines = [
        text("status_kop", loket=status.get("loket_naam") or loket_naam(status["loket"])),
        text(STATUS_TEKST[code]) if code in STATUS_TEKST else text("status_anders", status=code),
        text("ontvangen_op", datum=datum(status["ontvangen_op"])),
    ]
    lines += status_termijn(status)
    return "\n".join(lines)


def berichten_text(berichten: list[dict[str, Any]]) -> str:
    if not berichten:
        return text("geen_berichten")
    lines = [text("berichten")]
    for bericht in berichten:
        wie = "Het loket" if bericht.get("van") == "loket" else "Jij"
        soort = " (aanvulling)" if bericht.get("soort") == "aanvulling" else ""
        lines.append(f"• {wie}{soort}, {datum(bericht['verzonden_op'])}: {bericht['tekst']}")
    return "\n".join(lines)


def _backend_problem(
    dispatcher: Dispatcher, error: backend_client.BackendUnavailable
) -> list[EventType]:
    if error.status == 404:
        say(
            dispatcher,
            "meldcode_niet_gevonden",
            buttons=[button("Opnieuw proberen", "/heb_meldcode"), PRATEN],
        )
        return [SlotSet("meldcode", None)]
    if error.status == 429:
        say(dispatcher, "te_vaak_geprobeerd")
        return [SlotSet("meldcode", None)]
    if error.status in (409, 422) and error.nl:
        dispatcher.utter_message(text=error.nl, buttons=vervolg_buttons("afgerond"))
        return []
    say(
        dispatcher,
        "ophalen_lukt_niet",
        buttons=[{"title": "Opnieuw proberen", "payload": "/heb_meldcode"}],
    )
    return []


class ValidateMeldcodeForm(NamedFormValidation):
    """The typed meldcode is kept only sealed (actions/melder_agent.py); the tracker
    store also blanks the code in the typed message (bot/tracker_store.py)."""

    action_name = "validate_meldcode_form"

    def validate_meldcode(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if melder_agent.open_from_slot(value) is not None:
            return {"meldcode": value}  # already sealed (re-validation)
        try:
            return {"meldcode": melder_agent.seal_for_slot(format_meldcode(str(value)))}
        except UnknownMeldwoordError as error:
            # A code in words: only the word's position is said, never the word itself.
            say(dispatcher, "meldcode_woord_onbekend", positie=str(error.positie))
            return {"meldcode": None}
        except WordCountError as error:
            say(dispatcher, "meldcode_woorden_aantal", aantal=str(error.aantal))
            return {"meldcode": None}
        except MeldcodeFormatError:
            say(dispatcher, "meldcode_vorm")
            return {"meldcode": None}


def _meldcode(tracker: Tracker) -> str | None:
    return melder_agent.open_from_slot(tracker.get_slot("meldcode"))


def _code_forgotten(dispatcher: Dispatcher) -> list[EventType]:
    """The sealed code cannot be opened (the action server restarted): ask again."""
    say(dispatcher, "meldcode_opnieuw", buttons=[button("Meldcode invullen", "/heb_meldcode")])
    return [SlotSet("meldcode", None)]


class ValidateBerichtForm(NamedFormValidation):
    action_name = "validate_bericht_form"

    def validate_bericht_tekst(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        bericht = str(value or "").strip()
        if not bericht or bericht.startswith("/"):
            say(dispatcher, "typ_bericht")
            return {"bericht_tekst": None}
        if len(bericht) > MAX_BERICHT:
            say(dispatcher, "bericht_te_lang", max_tekens=str(MAX_BERICHT))
            return {"bericht_tekst": None}
        return {"bericht_tekst": bericht}


class ActionToonStatus(NamedAction):
    action_name = "action_toon_status"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        meldcode = _meldcode(tracker)
        if meldcode is None:
            return _code_forgotten(dispatcher)
        try:
            status = await melder_agent.melder_status(meldcode)
        except backend_client.BackendUnavailable as error:
            if error.code == "bewaarmelding":  # stored, not sent (actions/bewaarmelding.py)
                return await bewaarmelding.toon_bewaard(dispatcher, meldcode)
            return _backend_problem(dispatcher, error)
        dispatcher.utter_message(text=status_text(status))
        checkin_open = checkin_vraag.is_open(status)  # a check-in after the melding
        attach_receipt(dispatcher, status.get("ontvangstbewijs"))
        dispatcher.utter_message(
            text=berichten_text(status.get("berichten") or []),
            buttons=[] if checkin_open else vervolg_buttons(status["status"]),
        )
        if checkin_open:
            checkin_vraag.ask(dispatcher, status)
        return [SlotSet("fase", "volgen")]


class ActionStartBericht(NamedAction):
    action_name = "action_start_bericht"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        soort = next(tracker.get_latest_entity_values("bericht_soort"), None) or "bericht"
        return [SlotSet("bericht_soort", soort), SlotSet("bericht_tekst", None)]


class ActionVerstuurBericht(NamedAction):
    action_name = "action_verstuur_bericht"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        soort = tracker.get_slot("bericht_soort") or "bericht"
        if soort == "bewaard":  # an addition to a bewaarmelding (actions/bewaarmelding.py)
            return await bewaarmelding.voeg_toe_en_zeg(dispatcher, tracker)
        meldcode = _meldcode(tracker)
        if meldcode is None:
            return [SlotSet("bericht_tekst", None), *_code_forgotten(dispatcher)]
        try:
            await melder_agent.melder_schrijf(meldcode, soort, tracker.get_slot("bericht_tekst"))
        except backend_client.BackendUnavailable as error:
            return [SlotSet("bericht_tekst", None), *_backend_problem(dispatcher, error)]
        say(
            dispatcher,
            "aanvulling_gestuurd" if soort == "aanvulling" else "bericht_gestuurd",
            buttons=vervolg_buttons("in_behandeling"),
        )
        return [SlotSet("bericht_tekst", None)]


class ActionVraagIntrekken(NamedAction):
    action_name = "action_vraag_intrekken"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(
            dispatcher,
            "zeker_intrekken",
            buttons=[
                button("Ja, trek mijn melding in", "/melder_intrekken_bevestigd"),
                button("Nee, niet intrekken", "/heb_meldcode"),
            ],
        )
        return []


class ActionTrekIn(NamedAction):
    action_name = "action_trek_in"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        meldcode = _meldcode(tracker)
        if meldcode is None:
            return _code_forgotten(dispatcher)
        try:
            await melder_agent.melder_intrekken(meldcode)
        except backend_client.BackendUnavailable as error:
            return _backend_problem(dispatcher, error)
        say(dispatcher, "ingetrokken", buttons=[PRATEN, KLAAR])
        return []
