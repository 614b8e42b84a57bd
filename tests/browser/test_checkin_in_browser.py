"""Check-in after a melding in a real browser (docs/checkin.md).

A melding is submitted as the action server does (signed with its key), then dated back
40 days in the database: the backend decides from that date alone that the first
check-in is open. The melder answers "Ja" with a text on the follow-up page (sealed and
signed in the browser), downloads the calendar file, and the loket sees the signal in
the portal's inbox and the text in the melding.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from backend.storage.clock import utcnow
from backend.storage.db import Database
from backend.storage.models import Melding
from envelope.meldcode import new_meldcode
from envelope.melder_auth import sign_submission
from envelope.melder_key import melder_keys
from envelope.request_signing import SigningKey
from envelope.sealing import Recipient, b64d, b64e, envelope_header, seal
from tests.canaries import canary as make_canary

from .conftest import PASSWORD, USER, Live, axe_check, screenshot
from .test_pages_in_browser import key_material

pytestmark = pytest.mark.browser

SECRET = make_canary("CANARY", 10)
TEKST = f"Mijn teamchef vraagt steeds wie er over hem heeft gepraat. {SECRET}"


def submit_dated_back(live: Live, days: int) -> tuple[str, str]:
    """A melding to the vertrouwenspersoon Rotterdam, received ``days`` ago."""
    key = httpx.get(live.base + "/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
    melding_id, meldcode = str(uuid.uuid4()), new_meldcode()
    keys = melder_keys(meldcode)
    melding = {
        "schema": "meldwijzer.melding/1",
        "melding_id": melding_id,
        "aangemaakt_op": utcnow().isoformat(),
        "kanaal": "chat",
        "loket": "vertrouwenspersoon",
        "categorie": "pesten",
        "eenheid": "rotterdam",
        "beschrijving": "Ze negeren me sinds ik iets zei over de grappen in de app-groep.",
        "wens": "steun",
        "anoniem": True,
    }
    header = envelope_header(melding)
    sealed = seal(
        json.dumps(melding).encode(),
        header,
        [Recipient(kid=key["kid"], public_key=b64d(key["public_key"])), keys.recipient],
    )
    body = {
        "envelope": header,
        "toestemming_doorsturen": False,
        "sealed": sealed,
        "melder_sleutel": b64e(keys.sleutel),
        "melder_handtekening": sign_submission(keys, melding_id, sealed),
    }
    data = json.dumps(body).encode()
    signing = SigningKey.load(live.config.signing_key_file)
    response = httpx.post(
        live.base + "/api/v1/meldingen",
        content=data,
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": melding_id,
            **signing.sign("POST", "/api/v1/meldingen", data),
        },
    )
    assert response.status_code == 201, response.text
    database = Database(live.config.database_url)
    with database.session() as session:
        session.execute(
            update(Melding)
            .where(Melding.id == melding_id)
            .values(ontvangen_op=utcnow() - timedelta(days=days))
        )
    database.engine.dispose()
    return melding_id, meldcode


def events(ics: str) -> list[dict[str, str]]:
    """The VEVENTs of a calendar file (unfolded), as {property: value}."""
    lines = ics.replace("\r\n ", "").split("\r\n")
    found: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            found.append({})
        elif found and ":" in line and line != "END:VEVENT":
            name, value = line.split(":", 1)
            found[-1][name] = value
    return found


def test_the_melder_answers_yes_and_the_loket_sees_the_signal(page: Any, live: Live) -> None:
    melding_id, meldcode = submit_dated_back(live, 40)
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(f"{r.method} {r.url}\n{r.headers}\n{r.post_data or ''}"),
    )
    page.goto(live.base + "/volgen")
    page.fill("#meldcode", meldcode)
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("h1:has-text('Jouw melding')")
    vraag = page.inner_text("section.checkin-vraag")
    assert "Merk je sinds je melding nadelige gevolgen in je werk?" in vraag
    assert "Bron:" in vraag
    axe_check(page, "volgen-checkin")
    screenshot(page, "volgen-checkin")

    page.click("section.checkin-vraag button:has-text('Ja')")
    page.fill("#checkin-tekst", TEKST)
    page.click("text=Verstuur: ja")
    page.wait_for_selector("text=Dank je voor je antwoord")
    sectie = page.inner_text("section.checkin-vraag")
    assert "Je hebt deze vraag beantwoord" in sectie
    assert "vertrouwenspersoon" in sectie and "Wet bescherming klokkenluiders" in sectie
    assert "De volgende vraag komt op" in sectie
    assert page.locator("section.checkin-vraag button").count() == 0  # asked once
    axe_check(page, "volgen-checkin-beantwoord")
    screenshot(page, "volgen-checkin-beantwoord")

    # The calendar file: three moments, a neutral title, the follow-up URL, nothing else.
    with page.expect_download() as download:
        page.click("#checkin-agenda")
    ics = Path(download.value.path()).read_bytes().decode("utf-8")  # keep the CRLFs
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert ics.endswith("END:VCALENDAR\r\n")
    found = events(ics)
    assert len(found) == 3
    assert {e["SUMMARY"] for e in found} == {"Meldwijzer: even terugkijken"}
    assert {e["URL"] for e in found} == {live.base + "/volgen"}
    starts = sorted(e["DTSTART;VALUE=DATE"] for e in found)
    assert all(re.fullmatch(r"\d{8}", s) for s in starts) and len(set(starts)) == 3
    plain = meldcode.replace("-", "")
    for secret in (meldcode, plain, plain[4:], melding_id, "ertrouwenspersoon", "Rotterdam"):
        assert secret.lower() not in ics.lower()

    # Nothing that derives the key, and not the text in clear, left the browser.
    log = "\n".join(sent)
    assert any("/api/v1/melder/checkin" in r for r in sent)
    for form in key_material(meldcode):
        assert form not in log
    assert SECRET not in log

    # The portal: the signal in the inbox without a key, the text in the melding.
    page.goto(live.base + "/portaal/inloggen")
    page.fill("#naam", USER)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portaal/inbox")
    assert "Melder meldt nadelige gevolgen (1 maand)" in page.inner_text("table.inbox")
    page.goto(live.base + f"/portaal/melding/{melding_id}")
    checkins = page.inner_text("#checkins")
    assert "Ja, merkt nadelige gevolgen" in checkins and TEKST in checkins
    axe_check(page, "portaal-melding-checkin")
    screenshot(page, "portaal-melding-checkin")

    # The loket API sees the same (HPKE in JavaScript -> cryptography).
    token = httpx.post(
        live.base + "/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}
    ).json()["token"]
    detail = httpx.get(
        live.base + f"/api/v1/loket/meldingen/{melding_id}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert [(c["moment"], c["antwoord"], c["tekst"]) for c in detail["checkins"]] == [
        (1, "ja", TEKST)
    ]
