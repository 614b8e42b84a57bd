"""Bewaarmelding through the real chat: store now, open later with the meldcode, add,
send — and until then no loket sees it (docs/bewaarmelding.md)."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.canaries import canary as make_canary

from .conftest import Melder, RunningSystem

pytestmark = pytest.mark.e2e

MELDCODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")


def canary() -> str:
    return make_canary("CANARY", 12)


def store(melder: Melder, story: str) -> str:
    """Tell, answer, choose the vertrouwenspersoon and only store; return the meldcode."""
    melder.say("/greet")
    melder.click("/wil_vertellen")
    melder.tell(story)
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")
    assert "/verstuur" in melder.buttons and "/bewaar_melding" in melder.buttons
    melder.click("/bewaar_melding")
    assert "Je melding is bewaard" in melder.text, melder.text
    assert "nog niet verstuurd" in melder.text
    found = MELDCODE.search(melder.text)
    assert found, melder.text
    return found.group(0)


def open_with_code(melder: Melder, meldcode: str) -> None:
    melder.say("/heb_meldcode")
    melder.say(meldcode)


def loket_sees(running: RunningSystem) -> str:
    result = running.admin(
        "meldingen",
        "open",
        "vertrouwenspersoon",
        "rotterdam",
        "--passphrase-file",
        str(running.passphrase_file),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_store_open_add_and_send_through_the_chat(running: RunningSystem, melder: Melder) -> None:
    secret, extra = canary(), canary()
    story = f"Mijn collega's lachen me al maanden uit bij de briefing en in de app-groep. {secret}"
    listed_before = running.admin("meldingen", "list", "vertrouwenspersoon", "rotterdam").stdout

    meldcode = store(melder, story)
    # The expiry date, twelve months on, is told.
    next_year = str(datetime.now(timezone.utc).year + 1)
    assert "vanzelf verwijderd" in melder.text and next_year in melder.text
    # Still in this conversation: one click opens it.
    melder.click("/heb_meldcode")
    assert "Dit is je bewaarde melding" in melder.text, melder.text
    assert secret in melder.text

    # No loket sees or counts it.
    assert running.admin("meldingen", "list", "vertrouwenspersoon", "rotterdam").stdout == (
        listed_before
    )
    assert secret not in loket_sees(running)

    # Later, in a new conversation: the meldcode opens it.
    later = Melder(running.config.rasa_url)
    open_with_code(later, meldcode)
    assert "Dit is je bewaarde melding" in later.text, later.text
    assert secret in later.text and "Vertrouwenspersoon" in later.text
    assert "/bewaard_versturen" in later.buttons and "/bewaard_verwijderen" in later.buttons

    later.click('"bericht_soort":"bewaard"')
    assert "Typ wat je wilt toevoegen" in later.text
    later.say(f"Gisteren gebeurde het weer. {extra}")
    assert "Het staat nu bij je bewaarde melding" in later.text, later.text
    assert extra in later.text
    assert extra not in loket_sees(running)

    later.click("/bewaard_versturen")
    assert "Je melding is verstuurd naar" in later.text, later.text
    assert "al op" in later.text and "vastgelegd" in later.text
    seen = loket_sees(running)
    assert secret in seen and extra in seen

    # The same meldcode now follows the melding.
    third = Melder(running.config.rasa_url)
    open_with_code(third, meldcode)
    assert "Dit is je bewaarde melding" not in third.text
    assert "/melder_intrekken" in third.buttons, third.text

    # Nothing readable on disk: not in the database, not in any log.
    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in [*db_path.parent.glob(db_path.name + "*"), *running.config.log_dir.glob("*")]:
        data = path.read_bytes()
        assert secret.encode() not in data, f"canary in clear in {path.name}"
        assert extra.encode() not in data, f"addition in clear in {path.name}"
        assert meldcode.encode() not in data, f"meldcode in clear in {path.name}"


def test_delete_a_bewaarmelding_through_the_chat(running: RunningSystem, melder: Melder) -> None:
    meldcode = store(
        melder, "Mijn teamchef maakt steeds grappen over mijn afkomst als iedereen erbij is."
    )
    later = Melder(running.config.rasa_url)
    open_with_code(later, meldcode)
    assert "Dit is je bewaarde melding" in later.text, later.text
    later.click("/bewaard_verwijderen")
    assert "Weet je zeker" in later.text
    later.click("/bewaard_verwijderen_bevestigd")
    assert "Je bewaarde melding is verwijderd" in later.text, later.text

    again = Melder(running.config.rasa_url)
    open_with_code(again, meldcode)
    assert "Dit is je bewaarde melding" not in again.text
    assert "/heb_meldcode" in again.buttons  # "Opnieuw proberen": the code is unknown now
