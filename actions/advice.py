"""The routing advice as a person can read it (issue 11, point 4).

At most three options first, best first, each its name and one short sentence; per
option "Meer uitleg" (why, what happens next, how to reach it) and "Andere
mogelijkheden" for the rest. No sentence is said twice in one turn. The advice
itself comes from the backend (``POST /api/v1/routeadvies``); the whole list is kept in
the slot ``advies`` so the explanations and the choice need no second request.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.types import DomainDict

from actions import backend_client
from actions.base import PRATEN, Dispatcher, Events, NamedAction, button
from actions.conversation import entity
from actions.melding import INTAKE_SLOTS, routing_request
from actions.personas import advice_buttons
from actions.texts import say, text

MAX_OPTIONS = 3
KEEP = ("loket", "naam", "waarom", "wat_gebeurt_er", "ontvangt_digitaal", "anoniem_mogelijk")
SELF_CONTACT = text("zelf_contact")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text or "") if s.strip()]


class Sentences:
    """Collects the sentences of one bot turn and drops the ones already said."""

    def __init__(self) -> None:
        self.said: set[str] = set()

    def new(self, parts: list[str]) -> str:
        fresh = []
        for sentence in parts:
            if sentence not in self.said:
                self.said.add(sentence)
                fresh.append(sentence)
        return " ".join(fresh)


def contact_text(contact: dict[str, Any]) -> str:
    return ", ".join(str(v) for k, v in contact.items() if v and k != "openingstijden")


def shown_options(advies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first options, plus the first loket that receives digitally if none is."""
    shown = advies[:MAX_OPTIONS]
    if not any(a.get("ontvangt_digitaal") for a in shown):
        shown = shown[: MAX_OPTIONS - 1]
        shown += [a for a in advies[MAX_OPTIONS - 1 :] if a.get("ontvangt_digitaal")][:1]
    return shown


def short_text(item: dict[str, Any], said: Sentences) -> str:
    """One sentence why, and for a loket that receives nothing digitally: contact yourself."""
    parts = sentences(item.get("waarom") or "")[:1]
    if not item.get("ontvangt_digitaal"):
        parts.append(SELF_CONTACT)
    return said.new(parts)


def send_button(item: dict[str, Any]) -> dict[str, str]:
    return {
        "title": f"Stuur naar: {item['naam']}",
        "payload": f'/kies_loket{{"gekozen_loket":"{item["loket"]}"}}',
    }


def more_button(item: dict[str, Any]) -> dict[str, str]:
    return {
        "title": f"Meer uitleg: {item['naam']}",
        "payload": f'/meer_uitleg{{"gekozen_loket":"{item["loket"]}"}}',
    }


ALWAYS = [
    {"title": "Alleen informatie, niets versturen", "payload": "/alleen_informatie"},
    {"title": "Ik wil met iemand praten", "payload": "/wil_praten"},
]


class ActionRouteadvies(NamedAction):
    action_name = "action_routeadvies"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        slots = {name: tracker.get_slot(name) for name in (*INTAKE_SLOTS, "categorie")}
        try:
            advies = await backend_client.routeadvies(routing_request(slots))
        except backend_client.BackendUnavailable:
            say(
                dispatcher,
                "advies_niet_bereikbaar",
                buttons=[
                    button("Probeer opnieuw", "/toon_advies"),
                    PRATEN,
                    button("Stoppen", "/stop"),
                ],
            )
            return [SlotSet("fase", "keuze")]
        shown = shown_options(advies)
        said = Sentences()
        say(dispatcher, "advies_intro")
        for number, item in enumerate(shown, start=1):
            say(
                dispatcher,
                "advies_optie",
                nummer=str(number),
                naam=item["naam"],
                kort=short_text(item, said),
            )
        buttons = [send_button(item) for item in shown if item.get("ontvangt_digitaal")]
        buttons += [more_button(item) for item in shown]
        if len(advies) > len(shown):
            buttons.append({"title": "Andere mogelijkheden", "payload": "/andere_mogelijkheden"})
        buttons += advice_buttons(slots.get("rol_melder"))
        say(dispatcher, "advies_vraag", buttons=[*buttons, *ALWAYS])
        return [
            SlotSet("advies", [{k: item.get(k) for k in (*KEEP, "contact")} for item in advies]),
            SlotSet("fase", "keuze"),
        ]


def _advies(tracker: Tracker) -> list[dict[str, Any]]:
    return list(tracker.get_slot("advies") or [])


class ActionMeerUitleg(NamedAction):
    """Why this loket, what happens next, and how to reach it."""

    action_name = "action_meer_uitleg"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        wanted = entity(tracker, "gekozen_loket")
        item = next((a for a in _advies(tracker) if a.get("loket") == wanted), None)
        if item is None:
            return await ActionRouteadvies().run(dispatcher, tracker, domain)
        said = Sentences()
        parts = [said.new(sentences(item.get("waarom") or ""))]
        parts.append(
            text("wat_daarna") + " " + said.new(sentences(item.get("wat_gebeurt_er") or ""))
        )
        if not item.get("ontvangt_digitaal"):
            contact = contact_text(item.get("contact") or {})
            parts.append(SELF_CONTACT[:-1] + (f": {contact}." if contact else "."))
        buttons = [send_button(item)] if item.get("ontvangt_digitaal") else []
        buttons.append({"title": "Terug naar mijn mogelijkheden", "payload": "/toon_advies"})
        say(
            dispatcher,
            "advies_uitleg",
            naam=item["naam"],
            uitleg="\n".join(p for p in parts if p),
            buttons=[*buttons, ALWAYS[1]],
        )
        return []


class ActionAndereMogelijkheden(NamedAction):
    """The advice beyond the first options, one line each."""

    action_name = "action_andere_mogelijkheden"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        advies = _advies(tracker)
        shown = {a["loket"] for a in shown_options(advies)}
        rest = [a for a in advies if a["loket"] not in shown]
        if not rest:
            return await ActionRouteadvies().run(dispatcher, tracker, domain)
        said = Sentences()
        lijst = "\n".join(f"• {a['naam']}: {short_text(a, said)}" for a in rest)
        buttons = [send_button(a) for a in rest if a.get("ontvangt_digitaal")]
        buttons += [more_button(a) for a in rest]
        buttons.append({"title": "Terug naar mijn mogelijkheden", "payload": "/toon_advies"})
        say(dispatcher, "andere_mogelijkheden", lijst=lijst, buttons=[*buttons, *ALWAYS])
        return []
