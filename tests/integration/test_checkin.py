"""A check-in through the real chat (docs/checkin.md): a melding made by buttons is dated
back 40 days in the database; the melder comes back with the meldcode, gets the question,
answers "Ja" with a text, and the loket reads the signal and the text it cannot get
from anything but the action server's sealing."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from backend.domain.meldingen import SLEUTEL_PREFIX
from backend.storage.clock import utcnow
from backend.storage.db import Database
from backend.storage.models import Melding
from envelope.melder_key import melder_keys
from envelope.sealing import b64e
from tests.canaries import canary as make_canary

from .conftest import Melder, RunningSystem
from .test_end_to_end import send_quick_melding

USER = "vp.checkin.test"
PASSWORD = "een lang wachtwoord voor de check-in test 9"
SECRET = make_canary("CANARY", 10)


def date_back(running: RunningSystem, meldcode: str, days: int) -> None:
    """Move the melding of ``meldcode`` ``days`` into the past (the backend's only input)."""
    sleutel = SLEUTEL_PREFIX + b64e(melder_keys(meldcode).sleutel)
    database = Database(running.config.database_url)
    with database.session() as session:
        done = session.execute(
            update(Melding)
            .where(Melding.meldcode_hash == sleutel)
            .values(ontvangen_op=utcnow() - timedelta(days=days))
        )
        assert done.rowcount == 1  # type: ignore[attr-defined]
    database.engine.dispose()


def loket_detail(running: RunningSystem) -> tuple[dict[str, str], str]:
    password = running.workdir / "checkin-password.txt"
    password.write_text(PASSWORD)
    result = running.admin(
        "users", "create", "vertrouwenspersoon", "rotterdam", USER, "--rol", "behandelaar",
        "--passphrase-file", str(running.passphrase_file), "--password-file", str(password),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    base = running.config.backend_url
    token = httpx.post(
        f"{base}/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}, timeout=60
    ).json()["token"]
    return {"Authorization": f"Bearer {token}"}, base


def test_a_check_in_through_the_chat_reaches_the_loket(running: RunningSystem) -> None:
    first = Melder(running.config.rasa_url)
    code = send_quick_melding(first, "Mijn collega's lachen me uit in de briefing, al maanden.")
    date_back(running, code, 40)

    later = Melder(running.config.rasa_url)
    later.say("/heb_meldcode")
    later.say(code)
    assert "Je melding is binnen" in later.text
    assert "1 maand oud" in later.text
    assert "nadelige gevolgen in je werk?" in later.text
    assert set(later.buttons) >= {
        '/checkin_antwoord{"checkin_antwoord": "ja"}',
        '/checkin_antwoord{"checkin_antwoord": "nee"}',
        "/checkin_later",
    }
    later.click('"checkin_antwoord": "ja"')
    assert "vertrouwenspersoon" in later.text and "beschermt de wet" in later.text
    later.click("/checkin_vertel")
    assert "Typ wat je merkt" in later.text
    later.say(f"Sinds mijn melding word ik niet meer ingedeeld bij de noodhulp. {SECRET}")
    assert "Dank je voor je antwoord" in later.text
    assert "De volgende vraag komt op" in later.text

    # Asked once: coming back shows the status without the question.
    again = Melder(running.config.rasa_url)
    again.say("/heb_meldcode")
    again.say(code)
    assert "Je melding is binnen" in again.text
    assert "nadelige gevolgen" not in again.text

    auth, base = loket_detail(running)
    inbox = httpx.get(f"{base}/api/v1/loket/meldingen", headers=auth, timeout=60).json()
    signalen = {m["id"]: m["checkin_signalen"] for m in inbox["meldingen"]}
    [melding_id] = [i for i, s in signalen.items() if s == [1]]
    detail = httpx.get(f"{base}/api/v1/loket/meldingen/{melding_id}", headers=auth, timeout=60)
    [checkin] = detail.json()["checkins"]
    assert checkin["antwoord"] == "ja" and SECRET in checkin["tekst"]

    # Sealed on the way: the text is in no log of any service.
    for log in running.config.log_dir.glob("*"):
        assert SECRET not in log.read_text(encoding="utf-8", errors="replace"), log.name
