"""What every action here shares: its Rasa name as a class attribute, and short type names."""

from __future__ import annotations

from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

Dispatcher = CollectingDispatcher
Events = list[EventType]


def button(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


PRATEN = button("Ik wil met iemand praten", "/wil_praten")
KLAAR = button("Klaar", "/goodbye")


class NamedAction(Action):
    """An action whose ``name()`` is the class attribute ``action_name``."""

    action_name = "_named_action"  # a base class; Rasa SDK registers every subclass

    def name(self) -> str:
        return self.action_name


class NamedFormValidation(FormValidationAction):
    """A form's validation whose ``name()`` is the class attribute ``action_name``."""

    action_name = "_named_form_validation"  # a base class, like NamedAction

    def name(self) -> str:
        return self.action_name
