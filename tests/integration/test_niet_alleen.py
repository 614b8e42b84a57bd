""" "Niet alleen" through the chat: two melders name the same person (spelled their own
way); the backend matches their entries and no name is stored anywhere in clear."""

from __future__ import annotations

import random
import sqlite3
import string
from pathlib import Path

import pytest

from .conftest import Melder, RunningSystem

pytestmark = pytest.mark.e2e

STORY = "Ze maken me al maanden belachelijk in de briefing en lachen als ik iets zeg."


def _send_to_vertrouwenspersoon(melder: Melder) -> None:
    melder.tell(STORY)
    melder.answer_questions({"wens": "melden"})
    melder.choose_loket("vertrouwenspersoon")
    melder.click("/verstuur")
    assert "Je melding is verstuurd" in melder.text, melder.text
    assert "Ja, ik noem de persoon voor matching" in melder.buttons.values(), melder.text


def _name_person(melder: Melder, voornaam: str, achternaam: str) -> None:
    melder.click("/niet_alleen_ja")
    assert "alleen voor de matching" in melder.text, melder.text
    assert "/niet_alleen_nee" in melder.buttons  # "Toch niet" at every question
    melder.click('"niet_alleen_vorm":"naam"')
    assert "voornaam" in melder.text
    melder.say(voornaam)
    assert "achternaam" in melder.text, melder.text
    melder.say(achternaam)
    assert "Bij welke eenheid" in melder.text, melder.text
    melder.click('"niet_alleen_eenheid":"rotterdam"')
    assert "De persoon is genoemd voor matching" in melder.text, melder.text


def _entries(running: RunningSystem) -> list[tuple[str, str | None]]:
    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        return list(conn.execute("SELECT melding_id, match_groep FROM niet_alleen_vermeldingen"))


def test_two_melders_in_the_chat_are_matched_and_the_name_is_nowhere(
    running: RunningSystem,
) -> None:
    achternaam = "Kanarie" + "".join(random.choice(string.ascii_lowercase) for _ in range(8))
    before = len(_entries(running))
    first, second = Melder(running.config.rasa_url), Melder(running.config.rasa_url)
    _send_to_vertrouwenspersoon(first)
    _name_person(first, "Joost", f"van {achternaam}")
    _send_to_vertrouwenspersoon(second)
    _name_person(second, "joost", f"{achternaam.upper()}, van")

    entries = _entries(running)[before:]
    assert len(entries) == 2
    assert entries[0][0] != entries[1][0]
    assert entries[0][1] is not None and entries[0][1] == entries[1][1]

    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    files = [*db_path.parent.glob(db_path.name + "*"), *running.config.log_dir.glob("*")]
    for path in files:
        assert achternaam.lower().encode() not in path.read_bytes().lower(), path


def test_explanation_and_no_thanks(running: RunningSystem) -> None:
    melder = Melder(running.config.rasa_url)
    _send_to_vertrouwenspersoon(melder)
    melder.click("/niet_alleen_uitleg")
    assert "vertrouwenspersoon" in melder.text and "volgpagina" in melder.text
    assert "/niet_alleen_ja" in melder.buttons
    melder.click("/niet_alleen_nee")
    assert "Dat is goed" in melder.text
