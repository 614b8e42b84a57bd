""" "Niet alleen" in the browser: a melder names a person in the chat (buttons and typing),
a second melder names the same person; the follow-up page tells the first melder and
takes the choice to be connected; the vertrouwenspersoon's portal shows "Mogelijke
overeenkomst", the named person and that choice. axe-core checks both pages."""

from __future__ import annotations

import random
import re
import string
from typing import Any

import pytest

from tests.integration.conftest import Melder

from .conftest import PASSWORD, USER, Live, axe_check, screenshot
from .test_pages_in_browser import all_text, answer_open_questions, click, open_chat, type_message

pytestmark = pytest.mark.browser

MELDCODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
STORY = "Ze maken me al maanden belachelijk in de briefing en lachen als ik iets zeg."


def _second_melder(live: Live, voornaam: str, achternaam: str) -> None:
    """Another melder, over the REST channel, names the same person (spelled otherwise)."""
    melder = Melder(f"http://localhost:{live.config.ports.rasa}")
    melder.tell(STORY)
    melder.answer_questions({"wens": "melden", "toestemming_doorsturen": "nee"})
    melder.choose_loket("vertrouwenspersoon")
    melder.click("/verstuur")
    melder.click("/niet_alleen_ja")
    melder.click('"niet_alleen_vorm":"naam"')
    melder.say(voornaam)
    melder.say(achternaam)
    melder.click('"niet_alleen_eenheid":"rotterdam"')
    assert "De persoon is genoemd voor matching" in melder.text, melder.text


def test_match_on_the_follow_up_page_and_in_the_portal(page: Any, live: Live) -> None:
    achternaam = "Kanarie" + "".join(random.choice(string.ascii_lowercase) for _ in range(6))

    open_chat(page, live)
    click(page, "/wil_vertellen")
    type_message(page, STORY)
    click(page, "/bevestig_categorie")
    answer_open_questions(page)
    click(page, "gekozen_loket", '"vertrouwenspersoon"')
    answer_open_questions(page)
    click(page, "/verstuur")
    text = all_text(page)
    meldcode = MELDCODE.findall(text)[-1]
    assert "Ja, ik noem de persoon voor matching" in text
    click(page, "/niet_alleen_ja")
    click(page, '"niet_alleen_vorm":"naam"')
    type_message(page, "Marieke")
    type_message(page, f"de {achternaam}")
    click(page, '"niet_alleen_eenheid":"rotterdam"')
    assert "De persoon is genoemd voor matching" in all_text(page)
    screenshot(page, "chat-niet-alleen")

    # Alone so far: the follow-up page says so, and offers no choice.
    page.goto(live.base + "/volgen")
    page.fill("#meldcode", meldcode)
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("#niet-alleen-sectie")
    assert "Nog niemand anders" in page.inner_text("#niet-alleen-sectie")
    assert page.locator("text=Ja, breng me in contact").count() == 0

    _second_melder(live, "marieke", f"{achternaam.upper()}, de")

    page.goto(live.base + "/volgen")
    page.fill("#meldcode", meldcode)
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("#niet-alleen-sectie .niet-alleen-overeenkomst")
    sectie = page.inner_text("#niet-alleen-sectie")
    assert "Iemand anders heeft dezelfde persoon genoemd" in sectie
    assert achternaam not in page.content()  # the page never sees the name
    axe_check(page, "volgen-niet-alleen")
    page.click("text=Ja, breng me in contact")
    page.wait_for_selector("text=Je koos: breng me in contact")
    screenshot(page, "volgen-niet-alleen")

    page.goto(live.base + "/portaal")
    page.fill("#naam", USER)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portaal/inbox")
    seintje = page.locator(".niet-alleen-seintje")
    assert "Mogelijke overeenkomst" in seintje.inner_text()
    seintje.locator("a").click()
    page.wait_for_url("**/portaal/niet-alleen")
    main = page.inner_text("main")
    assert f"Marieke de {achternaam}" in main
    assert f"marieke {achternaam.upper()}, de" in main
    assert "wil contact" in main and "nog geen keuze" in main
    axe_check(page, "portaal-niet-alleen")
    screenshot(page, "portaal-niet-alleen")
