""" "Niet alleen" in the action server: which questions the form asks, what it accepts,
and that the form's slots are forgotten after sending (actions/niet_alleen.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.niet_alleen import (
    AANBOD,
    SLOTS,
    ActionNietAlleenVerstuur,
    ValidateNietAlleenForm,
    form_of,
    past_bij,
)


def _tracker(slots: dict[str, Any]) -> Tracker:
    return Tracker("t", slots, {}, [], False, None, {}, "")


def test_the_form_asks_only_what_the_chosen_way_needs() -> None:
    form = ValidateNietAlleenForm()
    dispatcher = CollectingDispatcher()
    pnr = asyncio.run(
        form.required_slots([], dispatcher, _tracker({"niet_alleen_vorm": "personeelsnummer"}), {})
    )
    naam = asyncio.run(
        form.required_slots([], dispatcher, _tracker({"niet_alleen_vorm": "naam"}), {})
    )
    assert pnr == ["niet_alleen_vorm", "niet_alleen_pnr"]
    assert naam == [
        "niet_alleen_vorm",
        "niet_alleen_voornaam",
        "niet_alleen_achternaam",
        "niet_alleen_eenheid",
    ]


def test_typed_answers_are_checked_and_explained() -> None:
    form = ValidateNietAlleenForm()
    dispatcher = CollectingDispatcher()
    tracker = _tracker({})
    assert form.validate_niet_alleen_pnr("12", dispatcher, tracker, {}) == {"niet_alleen_pnr": None}
    assert "personeelsnummer" in dispatcher.messages[-1]["text"]
    assert form.validate_niet_alleen_pnr("123 456", dispatcher, tracker, {}) == {
        "niet_alleen_pnr": "123456"
    }
    assert form.validate_niet_alleen_achternaam("/stop", dispatcher, tracker, {}) == {
        "niet_alleen_achternaam": None
    }
    assert form.validate_niet_alleen_eenheid("mars", dispatcher, tracker, {}) == {
        "niet_alleen_eenheid": None
    }
    assert form.validate_niet_alleen_eenheid("pdc", dispatcher, tracker, {}) == {
        "niet_alleen_eenheid": "pdc"
    }


def test_the_form_becomes_the_matching_form() -> None:
    slots = {
        "niet_alleen_vorm": "naam",
        "niet_alleen_voornaam": "Joost",
        "niet_alleen_achternaam": "van Voorbeeldsma",
        "niet_alleen_eenheid": "rotterdam",
    }
    assert form_of(_tracker(slots)) == {
        "voornaam": "Joost",
        "achternaam": "van Voorbeeldsma",
        "eenheid": "rotterdam",
    }


def test_no_offer_where_there_is_no_other_colleague() -> None:
    assert past_bij("pesten") and past_bij("discriminatie")
    assert not past_bij("nazorg_incident") and not past_bij("externe_dreiging")
    assert {b["payload"] for b in AANBOD} == {
        "/niet_alleen_ja",
        "/niet_alleen_nee",
        "/niet_alleen_uitleg",
    }


def test_without_the_meldcode_nothing_is_sent_and_the_form_is_forgotten() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"niet_alleen_vorm": "personeelsnummer", "niet_alleen_pnr": "123456"}
    events = asyncio.run(ActionNietAlleenVerstuur().run(dispatcher, _tracker(slots), {}))
    assert "weet je meldcode niet meer" in dispatcher.messages[-1]["text"]
    assert {e["name"]: e["value"] for e in events} == dict.fromkeys(SLOTS)
