"""A klacht with a name, clicked and typed in the chat; the portal shows the name in its own
block to the klachtencommissie, and axe-core finds no problem on that page."""

from __future__ import annotations

import json
import random
import string
from typing import Any

import pytest

from .conftest import Live, axe_check, screenshot
from .test_pages_in_browser import all_text, click, open_chat, type_message

pytestmark = pytest.mark.browser

STORY = (
    "Mijn teamchef schreeuwt al maanden tegen me in de briefing en dreigt dat ik mijn baan "
    "kwijtraak als ik er iets over zeg."
)
ANSWERS = {"eenheid": "rotterdam", "rol_melder": "betrokkene", "rol_ander": "collega",
           "eerder_gemeld": "nee", "wens": "klacht", "sinds_wanneer": "maanden",
           "toestemming_doorsturen": "nee"}  # fmt: skip
USER = "klacht.rotterdam.test"
PASSWORD = "een lang test-wachtwoord voor de klachtencommissie 7"


def _answer(page: Any) -> None:
    """Click the answer to every button question the bot asks now (not anonymity)."""
    buttons = page.locator(".buttons:not(.answered) button[data-payload^='/inform']")
    for _ in range(10):
        if not buttons.count():
            return
        payload = str(buttons.first.get_attribute("data-payload"))
        slot = str(next(iter(json.loads(payload[len("/inform") :]))))
        if slot not in ANSWERS:
            return
        click(page, f'"{slot}": "{ANSWERS[slot]}"')


def test_the_portal_shows_the_identity_of_a_named_klacht(page: Any, live: Live) -> None:
    passphrase = str(live.workdir / "passphrase.txt")
    password = live.workdir / "klacht-password.txt"
    password.write_text(PASSWORD)
    for args in (
        ("keys", "generate", "klachtencommissie", "rotterdam", "--passphrase-file", passphrase),
        (
            "users", "create", "klachtencommissie", "rotterdam", USER,
            "--passphrase-file", passphrase, "--password-file", str(password),
        ),
    ):  # fmt: skip
        result = live.admin(*args)
        assert result.returncode == 0, result.stderr
    naam = "Kanarie " + "".join(random.choice(string.ascii_lowercase) for _ in range(8)).title()

    open_chat(page, live)
    click(page, "/wil_vertellen")
    type_message(page, STORY)
    click(page, "/bevestig_categorie")
    _answer(page)
    click(page, "gekozen_loket", '"klachtencommissie"')
    _answer(page)
    assert "met je naam" in all_text(page)
    click(page, '"anoniem": "nee"')
    assert "Wat is je naam?" in all_text(page)
    type_message(page, naam)
    type_message(page, "klager@voorbeeld.nl")
    _answer(page)
    text = all_text(page)
    assert f"Naam: {naam}" in text and "klager@voorbeeld.nl" in text
    screenshot(page, "chat-samenvatting-met-naam")
    click(page, "/verstuur")
    assert "Je melding is verstuurd" in all_text(page)

    page.goto(live.base + "/portaal")
    page.fill("#naam", USER)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portaal/inbox")
    page.locator("table.inbox a", has_text="Open").first.click()
    page.wait_for_url("**/portaal/melding/*")
    block = page.locator("section#identiteit")
    assert block.is_visible()
    assert "Wie is de melder" in block.inner_text() and naam in block.inner_text()
    assert "klager@voorbeeld.nl" in block.inner_text()
    inhoud = page.locator("section[aria-labelledby=inhoud-titel]").inner_text()
    assert naam not in inhoud and "klager@voorbeeld.nl" not in inhoud
    assert "Ook de naam en contactgegevens" not in page.inner_text("main")  # behandelaar
    block.scroll_into_view_if_needed()
    axe_check(page, "portaal-melding-met-naam")
    screenshot(page, "portaal-melding-met-naam")
