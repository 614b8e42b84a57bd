"""Crisis keywords fire without the classifier (bot/crisis_keywords.py)."""

from __future__ import annotations

import pytest

from bot.crisis_keywords import is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "ik wil niet meer leven",
        "Ik denk aan ZELFMOORD",
        "ik ga mezelf iets aandoen",
        "hij staat hier nu met een mes",
        "ik word nu bedreigd",
        "ik wil er een eind aan maken",
    ],
)
def test_crisis_keywords_fire_without_the_classifier(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "mijn collega pest me al maanden",
        "ik word bedreigd door een collega in de app-groep",
        "/acuut_gevaar",
        "",
    ],
)
def test_ordinary_descriptions_are_not_crises(text: str) -> None:
    assert not is_crisis(text)
