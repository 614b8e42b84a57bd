"""Onboarding mode for aspiranten and new colleagues: the routeboekje in small steps."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.routeboekje_data import loket_field
from actions.texts import text

KERNWAARDEN = (
    "Bij de politie werken we vanuit vier kernwaarden:\n"
    "• Integer: je doet wat je zegt, ook als niemand kijkt.\n"
    "• Betrouwbaar: collega's en burgers kunnen op je rekenen.\n"
    "• Moedig: je spreekt je uit, ook als dat spannend is.\n"
    "• Verbindend: iedereen hoort erbij. Wij sluiten niemand uit.\n"
    "De grens is duidelijk: op elke overschrijding volgt een reactie."
)


def _lokets(codes: tuple[str, ...]) -> str:
    return "\n".join(f"• {loket_field(c, 'naam')}: {loket_field(c, 'wat_doet')}" for c in codes)


STAPPEN = [
    "Welkom bij de politie! Ik ben Meldwijzer. Ik laat je in een paar stappen zien waar je "
    "terecht kunt als je iets vervelends meemaakt of ziet. Je kunt altijd stoppen.\n\n"
    + KERNWAARDEN,
    "Waar kun je terecht?\n"
    + _lokets(("vertrouwenspersoon", "vik", "klachtencommissie", "meldpunt_misstanden")),
    text("gids_aspirant") + "\n\n" + text("gids_omstander"),
    "Na een heftig incident, zoals geweld of een ernstig ongeluk, is zorg normaal. "
    "Hier kun je terecht:\n"
    + _lokets(("collegiale_ondersteuning", "bedrijfsmaatschappelijk_werk", "bedrijfsarts")),
    "Dat was het routeboekje. Je kunt hier altijd terugkomen, ook anoniem en ook 's nachts. "
    "Er gaat nooit iets naar iemand toe zonder jouw toestemming.",
]


class ActionOnboarding(Action):
    def name(self) -> str:
        return "action_onboarding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
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
