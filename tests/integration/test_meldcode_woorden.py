"""A melder keeps the meldcode as words and comes back with them, through the real chat."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from envelope.meldcode_woorden import format_words, meldcode_to_words

from .conftest import Melder, RunningSystem
from .test_end_to_end import send_quick_melding

pytestmark = pytest.mark.e2e


def test_return_with_the_words_instead_of_the_letters(running: RunningSystem) -> None:
    first = Melder(running.config.rasa_url)
    code = send_quick_melding(first, "Mijn teamchef schreeuwt tegen me in de briefing.")
    assert f"Dezelfde code in woorden: {format_words(code)}" in first.text
    assert "Je mag de letters of de woorden bewaren. Allebei werken." in first.text
    words = meldcode_to_words(code)

    later = Melder(running.config.rasa_url)  # another day: only the words were kept
    later.say("/greet")
    later.click("/heb_meldcode")
    assert "10 woorden" in later.text
    # A typo in the third word: the bot names its place, not the word.
    typo = [*words[:2], "qqqqq", *words[3:]]
    later.say(" ".join(typo))
    assert "3e woord" in later.text and "qqqqq" not in later.text
    # Written down in capitals, one word forgotten.
    later.say(" ".join(w.upper() for w in words[:9]))
    assert "typte er 9" in later.text
    # The first four letters of each word, with commas: the melding opens.
    later.say(", ".join(w[:4] for w in words))
    assert "Je melding is binnen" in later.text, later.text

    # Neither form of the code is readable on disk: not in the database, not in a log.
    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    pairs = [f"{words[i]}-{words[i + 1]}" for i in range(0, 10, 2)]
    for path in [*db_path.parent.glob(db_path.name + "*"), *running.config.log_dir.glob("*")]:
        data = path.read_bytes().lower()
        assert code.lower().encode() not in data, path.name
        for pair in pairs:
            assert pair.encode() not in data, f"meldcode in words in clear in {path.name}"
