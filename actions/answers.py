"""Short answers ("ja", "nee", an eenheid) whose meaning depends on the moment.

The phase of the conversation is kept in the slot ``fase``; these actions read it
and continue the right step, so the melder can type "ja" as well as click.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction
from actions.conversation import (
    BUTTONS_NA_INFO,
    ActionKiesCategorie,
    ActionStartIntake,
    ActionWilPraten,
    entity,
)
from actions.routeboekje_data import eenheid_codes, eenheid_naam
from actions.submission import ActionVerstuurMelding, ActionVraagAanpassing
from actions.texts import say


def _in_form(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == "intake_form"


def _menu(dispatcher: Dispatcher, tracker: Tracker) -> list[EventType]:
    if tracker.latest_message.get("text", "").startswith("/inform") and not tracker.get_slot(
        "categorie"
    ):
        # An answer to a question we no longer know: the conversation was interrupted
        # (e.g. a restart of the chat server). Say so and offer a fresh start.
        say(dispatcher, "waar_waren_we", buttons=BUTTONS_NA_INFO)
        return []
    say(dispatcher, "menu", buttons=BUTTONS_NA_INFO)
    return []


class _StartIntakeForm(NamedAction):
    """Start the intake after the situation was confirmed by a typed "ja"."""

    action_name = "_start_intake_form"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        events = await ActionStartIntake().run(dispatcher, tracker, domain)
        return [*events, FollowupAction("intake_form")]


class _PhaseAnswer(NamedAction):
    """A short answer: inside the form the form asks again; otherwise the phase
    (slot ``fase``) picks the step it answers, or the melder gets the menu."""

    by_phase: dict[str, type[NamedAction]] = {}

    action_name = "_phase_answer"  # a base class; Rasa SDK registers every subclass

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        if _in_form(tracker):
            return [FollowupAction("intake_form")]
        step = self.by_phase.get(tracker.get_slot("fase") or "")
        if step is None:
            return _menu(dispatcher, tracker)
        return await step().run(dispatcher, tracker, domain)


class ActionJa(_PhaseAnswer):
    by_phase = {"categorie_check": _StartIntakeForm, "samenvatting": ActionVerstuurMelding}

    action_name = "action_ja"


class ActionNee(_PhaseAnswer):
    by_phase = {"categorie_check": ActionKiesCategorie, "samenvatting": ActionVraagAanpassing}

    action_name = "action_nee"


class _RememberEenheid(NamedAction):
    """An eenheid named before the story: keep it (it is not asked again) and listen."""

    action_name = "_remember_eenheid"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        eenheid = entity(tracker, "eenheid")
        if eenheid not in eenheid_codes():
            return _menu(dispatcher, tracker)
        say(dispatcher, "eenheid_onthouden", eenheid_naam=eenheid_naam(eenheid))
        return [SlotSet("eenheid", eenheid)]


class ActionInform(_PhaseAnswer):
    """An eenheid named outside the questions: for the vertrouwenspersoon when we asked
    for it; otherwise remembered for the intake, and the melder is invited to tell."""

    by_phase = {"praten_eenheid": ActionWilPraten, "": _RememberEenheid}

    action_name = "action_inform"
