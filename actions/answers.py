"""Short answers ("ja", "nee", an eenheid) whose meaning depends on the moment.

The phase of the conversation is kept in the slot ``fase``; these actions read it
and continue the right step, so the melder can type "ja" as well as click.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import (
    BUTTONS_NA_INFO,
    ActionKiesCategorie,
    ActionStartIntake,
    ActionWilPraten,
)
from actions.submission import ActionVerstuurMelding, ActionVraagAanpassing


def _in_form(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == "intake_form"


def _menu(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    if tracker.latest_message.get("text", "").startswith("/inform") and not tracker.get_slot(
        "categorie"
    ):
        # An answer to a question we no longer know: the conversation was interrupted
        # (e.g. a restart of the chat server). Say so and offer a fresh start.
        dispatcher.utter_message(
            text="Sorry, ik weet even niet meer waar we waren. Misschien is het gesprek "
            "onderbroken. Er is niets verstuurd. Wil je opnieuw beginnen?",
            buttons=BUTTONS_NA_INFO,
        )
        return []
    dispatcher.utter_message(text="Oké. Wat wil je doen?", buttons=BUTTONS_NA_INFO)
    return []


class ActionJa(Action):
    def name(self) -> str:
        return "action_ja"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _in_form(tracker):
            return [FollowupAction("intake_form")]
        fase = tracker.get_slot("fase")
        if fase == "categorie_check":
            events = await ActionStartIntake().run(dispatcher, tracker, domain)
            return [*events, FollowupAction("intake_form")]
        if fase == "samenvatting":
            return await ActionVerstuurMelding().run(dispatcher, tracker, domain)
        return _menu(dispatcher, tracker)


class ActionNee(Action):
    def name(self) -> str:
        return "action_nee"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _in_form(tracker):
            return [FollowupAction("intake_form")]
        fase = tracker.get_slot("fase")
        if fase == "categorie_check":
            return await ActionKiesCategorie().run(dispatcher, tracker, domain)
        if fase == "samenvatting":
            return await ActionVraagAanpassing().run(dispatcher, tracker, domain)
        return _menu(dispatcher, tracker)


class ActionInform(Action):
    """An eenheid named outside the questions: used when we asked for it."""

    def name(self) -> str:
        return "action_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _in_form(tracker):
            return [FollowupAction("intake_form")]
        if tracker.get_slot("fase") == "praten_eenheid":
            return await ActionWilPraten().run(dispatcher, tracker, domain)
        return _menu(dispatcher, tracker)
