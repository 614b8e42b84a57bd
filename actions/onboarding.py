"""Onboarding mode for aspiranten and new colleagues: the routeboekje in small steps."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction
from actions.routeboekje_data import loket_lines
from actions.texts import text

STAPPEN = [
    text("onboarding_welkom") + "\n\n" + text("kernwaarden"),
    text(
        "onboarding_lokets",
        lokets=loket_lines(
            ("vertrouwenspersoon", "vik", "klachtencommissie", "meldpunt_misstanden")
        ),
    ),
    text("gids_aspirant") + "\n\n" + text("gids_omstander"),
    text(
        "onboarding_zorg",
        lokets=loket_lines(
            ("collegiale_ondersteuning", "bedrijfsmaatschappelijk_werk", "bedrijfsarts")
        ),
    ),
    text("onboarding_einde"),
]


class ActionOnboarding(NamedAction):
    action_name = "action_onboarding"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        raw = next(tracker.get_latest_entity_values("stap"), "1")
        stap = int(raw) if str(raw).isdigit() and 1 <= int(raw) <= len(STAPPEN) else 1
        buttons = []
        if stap < len(STAPPEN):
            buttons.append(
                {
                    "title": f"Volgende ({stap + 1} van {len(STAPPEN)})",
                    "payload": f'/onboarding{{"stap":"{stap + 1}"}}',
                }
            )
        buttons += [
            {"title": "Ik wil vertellen wat er is gebeurd", "payload": "/wil_vertellen"},
            {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
            {"title": "Stoppen", "payload": "/stop"},
        ]
        dispatcher.utter_message(text=STAPPEN[stap - 1], buttons=buttons)
        return []
