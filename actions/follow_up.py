"""Follow-up with a meldcode: status, the two dates, messages, reply, add, withdraw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import backend_client
from actions.routeboekje_data import loket_naam
from envelope.meldcode import MeldcodeFormatError, format_meldcode

MAX_BERICHT = 5000

STATUS_TEKST = {
    "ontvangen": "Je melding is binnen. Het loket heeft hem nog niet bevestigd.",
    "bevestigd": "Het loket heeft bevestigd dat je melding binnen is.",
    "in_behandeling": "Het loket is met je melding bezig.",
    "doorverwezen": "Je melding is met jouw toestemming doorgestuurd naar een ander loket.",
    "afgerond": "Het loket heeft je melding afgerond.",
    "ingetrokken": "Je hebt deze melding ingetrokken.",
}

MAANDEN = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def datum(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f"{moment.day} {MAANDEN[moment.month - 1]} {moment.year}"


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
    buttons.append({"title": "Klaar", "payload": "/goodbye"})
    return buttons


def status_text(status: dict[str, Any]) -> str:
    lines = [
        f"Je melding bij {status.get('loket_naam') or loket_naam(status['loket'])}.",
        STATUS_TEKST.get(status["status"], f"Status: {status['status']}."),
        f"Ontvangen op {datum(status['ontvangen_op'])}.",
    ]
    if status.get("bevestigd_op"):
        lines.append(f"Bevestigd op {datum(status['bevestigd_op'])}.")
    else:
        lines.append(f"Het loket bevestigt uiterlijk {datum(status['bevestigen_voor'])}.")
    lines.append(
        f"Uiterlijk {datum(status['terugkoppeling_voor'])} hoor je wat er met je melding is gedaan."
    )
    return "\n".join(lines)


def berichten_text(berichten: list[dict[str, Any]]) -> str:
    if not berichten:
        return "Er zijn nog geen berichten."
    lines = ["Berichten:"]
    for bericht in berichten:
        wie = "Het loket" if bericht.get("van") == "loket" else "Jij"
        soort = " (aanvulling)" if bericht.get("soort") == "aanvulling" else ""
        lines.append(f"• {wie}{soort}, {datum(bericht['verzonden_op'])}: {bericht['tekst']}")
    return "\n".join(lines)


def _backend_problem(
    dispatcher: CollectingDispatcher, error: backend_client.BackendUnavailable
) -> list[EventType]:
    if error.status == 404:
        dispatcher.utter_message(
            text="Ik vind geen melding bij deze meldcode. Kijk of je hem goed hebt "
            "overgenomen. Let op de streepjes niet; die mogen weg.",
            buttons=[
                {"title": "Opnieuw proberen", "payload": "/heb_meldcode"},
                {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
            ],
        )
        return [SlotSet("meldcode", None)]
    if error.status == 429:
        dispatcher.utter_message(
            text="Er is te vaak een verkeerde meldcode geprobeerd. Probeer het later opnieuw."
        )
        return [SlotSet("meldcode", None)]
    if error.status in (409, 422) and error.nl:
        dispatcher.utter_message(text=error.nl, buttons=vervolg_buttons("afgerond"))
        return []
    dispatcher.utter_message(
        text="Het lukt nu niet om je melding op te halen. Er is niets verloren. "
        "Probeer het zo nog eens.",
        buttons=[{"title": "Opnieuw proberen", "payload": "/heb_meldcode"}],
    )
    return []


class ValidateMeldcodeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_meldcode_form"

    def validate_meldcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"meldcode": format_meldcode(str(value))}
        except MeldcodeFormatError:
            dispatcher.utter_message(
                text="Een meldcode heeft 16 letters en cijfers, bijvoorbeeld "
                "7KQ4-M2XD-9RTA-HB3C. Probeer het nog eens."
            )
            return {"meldcode": None}


class ValidateBerichtForm(FormValidationAction):
    def name(self) -> str:
        return "validate_bericht_form"

    def validate_bericht_tekst(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if not text or text.startswith("/"):
            dispatcher.utter_message(text="Typ je bericht in het tekstvak.")
            return {"bericht_tekst": None}
        if len(text) > MAX_BERICHT:
            dispatcher.utter_message(
                text=f"Je bericht is te lang. Houd het onder de {MAX_BERICHT} tekens, "
                "of stuur het in delen."
            )
            return {"bericht_tekst": None}
        return {"bericht_tekst": text}


class ActionToonStatus(Action):
    def name(self) -> str:
        return "action_toon_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            status = await backend_client.melder_status(
                tracker.get_slot("meldcode"), tracker.sender_id
            )
        except backend_client.BackendUnavailable as error:
            return _backend_problem(dispatcher, error)
        dispatcher.utter_message(text=status_text(status))
        dispatcher.utter_message(
            text=berichten_text(status.get("berichten") or []),
            buttons=vervolg_buttons(status["status"]),
        )
        return [SlotSet("fase", "volgen")]


class ActionStartBericht(Action):
    def name(self) -> str:
        return "action_start_bericht"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        soort = next(tracker.get_latest_entity_values("bericht_soort"), None) or "bericht"
        return [SlotSet("bericht_soort", soort), SlotSet("bericht_tekst", None)]


class ActionVerstuurBericht(Action):
    def name(self) -> str:
        return "action_verstuur_bericht"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        soort = tracker.get_slot("bericht_soort") or "bericht"
        try:
            await backend_client.melder_schrijf(
                tracker.get_slot("meldcode"),
                soort,
                tracker.get_slot("bericht_tekst"),
                tracker.sender_id,
            )
        except backend_client.BackendUnavailable as error:
            return [SlotSet("bericht_tekst", None), *_backend_problem(dispatcher, error)]
        wat = "Je aanvulling" if soort == "aanvulling" else "Je bericht"
        dispatcher.utter_message(
            text=f"{wat} is versleuteld naar het loket gestuurd. Alleen het loket kan het lezen.",
            buttons=vervolg_buttons("in_behandeling"),
        )
        return [SlotSet("bericht_tekst", None)]


class ActionVraagIntrekken(Action):
    def name(self) -> str:
        return "action_vraag_intrekken"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            text="Weet je zeker dat je je melding wilt intrekken? Het loket ziet dan dat "
            "je hem hebt ingetrokken en gaat er niet verder mee. Dat is jouw keuze.",
            buttons=[
                {"title": "Ja, trek mijn melding in", "payload": "/melder_intrekken_bevestigd"},
                {"title": "Nee, niet intrekken", "payload": "/heb_meldcode"},
            ],
        )
        return []


class ActionTrekIn(Action):
    def name(self) -> str:
        return "action_trek_in"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            await backend_client.melder_intrekken(tracker.get_slot("meldcode"), tracker.sender_id)
        except backend_client.BackendUnavailable as error:
            return _backend_problem(dispatcher, error)
        dispatcher.utter_message(
            text="Je melding is ingetrokken. Wil je later toch iets doen? Dan kun je altijd "
            "opnieuw beginnen, of met een vertrouwenspersoon praten.",
            buttons=[
                {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
                {"title": "Klaar", "payload": "/goodbye"},
            ],
        )
        return []
