"""The check-in question in the chat (docs/checkin.md): asked when the melder comes back
with the meldcode and a check-in (1, 3 or 6 months after the melding) is open.

Only the question and its buttons live here, so actions/follow_up.py can ask it right
after the status; the answers are handled in actions/checkin.py.
"""

from __future__ import annotations

import json
from typing import Any

from actions.base import Dispatcher, button
from actions.texts import say

ANTWOORD_KNOPPEN = (
    ("nee", "Nee"),
    ("ja", "Ja"),
    ("weet_niet", "Weet ik niet / liever niet zeggen"),
)


def is_open(status: dict[str, Any]) -> bool:
    """A check-in is open now and not yet answered (never for a withdrawn melding)."""
    checkin = status.get("checkin") or {}
    return bool(checkin) and not checkin.get("beantwoord") and bool(status.get("loket_sleutel"))


def periode(maanden: int) -> str:
    return "1 maand" if maanden == 1 else f"{maanden} maanden"


def checkin_buttons() -> list[dict[str, str]]:
    buttons = [
        button(titel, "/checkin_antwoord" + json.dumps({"checkin_antwoord": waarde}))
        for waarde, titel in ANTWOORD_KNOPPEN
    ]
    return [*buttons, button("Nu niet", "/checkin_later")]


def ask(dispatcher: Dispatcher, status: dict[str, Any]) -> None:
    """Why we ask, then the question with a button for every answer."""
    say(dispatcher, "checkin_waarom")
    say(
        dispatcher,
        "checkin_vraag",
        buttons=checkin_buttons(),
        periode=periode(int(status["checkin"]["moment"])),
    )
