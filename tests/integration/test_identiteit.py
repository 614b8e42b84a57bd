"""A known melder's name reaches only the loket, sealed apart; an anonymous melding has none."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import string
import uuid
from pathlib import Path

import httpx
import pytest

from .conftest import Melder, RunningSystem

pytestmark = pytest.mark.e2e

STORY = (
    "Mijn teamchef schreeuwt al maanden tegen me in de briefing en dreigt dat ik mijn baan "
    "kwijtraak als ik er iets over zeg."
)


def canary_name() -> str:
    letters = "".join(random.choice(string.ascii_lowercase) for _ in range(10))
    return f"Kanarie {letters.capitalize()}"


def canary_phone() -> str:
    return "06 " + "".join(random.choice(string.digits) for _ in range(8))


def _to_the_advice(melder: Melder, wens: str) -> None:
    melder.tell(STORY)
    melder.answer_questions({"wens": wens})
    assert "Wat wil je doen?" in melder.text, melder.text


def _raw_files(running: RunningSystem) -> list[Path]:
    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    outbox = running.config.outbox
    return [
        *db_path.parent.glob(db_path.name + "*"),
        *running.config.log_dir.glob("*"),
        *outbox.parent.glob(outbox.name + "*"),
    ]


def _row(running: RunningSystem, melding_id: str) -> tuple[str, str | None]:
    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT sealed, sealed_identiteit FROM meldingen WHERE id = ?", (melding_id,)
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def _login(running: RunningSystem, loket: str) -> dict[str, str]:
    naam = f"test-{loket}-{uuid.uuid4().hex[:6]}"
    password = running.workdir / f"{naam}.txt"
    password.write_text("een-lang-test-wachtwoord-voor-de-loketgebruiker")
    result = running.admin(
        "users", "create", loket, "rotterdam", naam,
        "--passphrase-file", str(running.passphrase_file), "--password-file", str(password),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    login = httpx.post(
        f"{running.config.backend_url}/api/v1/loket/login",
        json={"naam": naam, "wachtwoord": password.read_text()},
        timeout=60,
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


def test_a_named_klacht_reaches_the_loket_with_the_identity_sealed_apart(
    running: RunningSystem, melder: Melder
) -> None:
    naam, telefoon = canary_name(), canary_phone()
    _to_the_advice(melder, "klacht")
    melder.click('"gekozen_loket":"klachtencommissie"')
    if melder.asked_slot() == "sinds_wanneer":  # the story usually told it
        melder.click('"sinds_wanneer": "maanden"')

    # A klacht cannot be anonymous: said plainly, with a way out.
    assert "met je naam" in melder.text, melder.text
    assert '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}' in melder.buttons
    assert "/stop" in melder.buttons
    melder.say("ik wil liever anoniem blijven")
    assert "kan dat niet" in melder.text and '/inform{"anoniem": "nee"}' in melder.buttons
    melder.click('/inform{"anoniem": "nee"}')
    assert "Wat is je naam?" in melder.text and "Alleen" in melder.text

    melder.say(telefoon)  # a phone number is no name: asked kindly again
    assert "alleen je naam" in melder.text
    melder.say(naam)
    assert "Hoe kan" in melder.text and "bereiken" in melder.text
    assert not any("melder_contact" in p for p in melder.buttons)  # no meldcode-only here
    melder.say("bel me maar")
    assert "Typ bijvoorbeeld" in melder.text
    melder.say(telefoon)
    melder.answer_questions()  # toestemming_doorsturen
    assert "Dit is je melding" in melder.text
    assert f"Naam: {naam}" in melder.text and telefoon in melder.text
    assert "/aanpassen" in melder.buttons

    melder.click("/verstuur")
    assert "Je melding is verstuurd" in melder.text, melder.text
    meldcode = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", melder.text)
    assert meldcode

    # The loket API opens the identity, apart from the content.
    headers = _login(running, "klachtencommissie")
    base = f"{running.config.backend_url}/api/v1/loket/meldingen"
    inbox = httpx.get(base, headers=headers, timeout=60).json()["meldingen"]
    mine = [m for m in inbox if m["heeft_identiteit"]]
    assert len(mine) == 1 and "identiteit" not in mine[0]
    detail = httpx.get(f"{base}/{mine[0]['id']}", headers=headers, timeout=60).json()
    assert detail["identiteit"]["naam"] == naam
    assert detail["identiteit"]["telefoon"] == telefoon
    assert naam not in json.dumps(detail["inhoud"]) and detail["inhoud"]["anoniem"] is False

    # The content ciphertext does not hold it; the identity is its own sealed object.
    sealed, sealed_identiteit = _row(running, mine[0]["id"])
    # Stored under the monthly storage layer (docs/security.md, "Backups"), like the content.
    assert json.loads(sealed_identiteit or "null")["v"] == "mwb1"
    opened = running.admin(
        "meldingen", "open", "klachtencommissie", "rotterdam",
        "--passphrase-file", str(running.passphrase_file), "--id", mine[0]["id"],
    )  # fmt: skip
    assert opened.returncode == 0 and STORY in opened.stdout
    assert naam not in opened.stdout and telefoon not in opened.stdout

    # Nowhere in clear: not in the database, the outbox or any log.
    for path in _raw_files(running):
        data = path.read_bytes()
        assert naam.encode() not in data, f"name in clear in {path.name}"
        assert telefoon.encode() not in data, f"phone number in clear in {path.name}"


def test_an_anonymous_melding_carries_no_identity(running: RunningSystem, melder: Melder) -> None:
    _to_the_advice(melder, "steun")
    melder.choose_loket("vertrouwenspersoon")  # anonymous: no name asked
    assert "Naam:" not in melder.text
    melder.click("/verstuur")
    assert "Je melding is verstuurd" in melder.text
    result = running.admin(
        "meldingen", "open", "vertrouwenspersoon", "rotterdam",
        "--passphrase-file", str(running.passphrase_file),
    )  # fmt: skip
    mine = [json.loads(line) for line in result.stdout.splitlines() if STORY in line]
    assert mine, result.stderr
    melding_id = mine[-1]["melding_id"]
    assert mine[-1]["anoniem"] is True
    _, sealed_identiteit = _row(running, melding_id)
    assert json.loads(sealed_identiteit or "null") is None  # SQL NULL or JSON null


def test_pause_and_stop_work_at_the_name_question(melder: Melder) -> None:
    _to_the_advice(melder, "melden")
    melder.click('"gekozen_loket":"vertrouwenspersoon"')
    if melder.asked_slot() == "sinds_wanneer":
        melder.click('"sinds_wanneer": "maanden"')
    melder.click('"anoniem": "nee"')
    assert "Wat is je naam?" in melder.text and '/inform{"anoniem": "ja"}' in melder.buttons
    melder.say("/pauze")
    assert "Neem gerust de tijd" in melder.text and "Wat is je naam?" in melder.text
    melder.say("stop")
    assert "we stoppen" in melder.text and "niets verstuurd" in melder.text
