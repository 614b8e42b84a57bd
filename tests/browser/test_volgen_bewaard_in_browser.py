"""A bewaarmelding on the follow-up page, in a real browser: stored through the chat,
opened with the meldcode in the browser (which decrypts it), added to, sent to the loket
in one step — and deleted. Until it is sent the loket sees nothing (docs/bewaarmelding.md).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.canaries import canary as make_canary
from tests.integration.conftest import Melder

from .conftest import PASSWORD, USER, Live, axe_check, screenshot
from .test_pages_in_browser import key_material

pytestmark = pytest.mark.browser

MELDCODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")


def store_in_chat(live: Live, story: str) -> str:
    """Through the real chat: tell, answer, choose the vertrouwenspersoon, only store."""
    melder = Melder(live.config.rasa_url)
    melder.say("/greet")
    melder.click("/wil_vertellen")
    melder.tell(story)
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")
    melder.click("/bewaar_melding")
    assert "Je melding is bewaard" in melder.text, melder.text
    found = MELDCODE.search(melder.text)
    assert found, melder.text
    return found.group(0)


def loket_inbox(live: Live) -> tuple[dict[str, str], list[dict[str, Any]]]:
    token = httpx.post(
        live.base + "/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    inbox = httpx.get(live.base + "/api/v1/loket/meldingen", headers=auth).json()
    return auth, list(inbox["meldingen"])


def open_on_page(page: Any, live: Live, meldcode: str) -> None:
    page.goto(live.base + "/volgen")
    page.fill("#meldcode", meldcode)
    page.click("text=Bekijk mijn melding")


def test_open_add_and_send_a_bewaarmelding_in_the_browser(page: Any, live: Live) -> None:
    secret = make_canary("CANARY", 10)
    extra = f"{secret}-aanvulling"
    _, before = loket_inbox(live)
    meldcode = store_in_chat(
        live, f"Mijn collega's lachen me al maanden uit bij de briefing. {secret}"
    )
    auth, stored = loket_inbox(live)
    assert [m["id"] for m in stored] == [m["id"] for m in before]  # the loket sees nothing

    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(f"{r.method} {r.url}\n{r.headers}\n{r.post_data or ''}"),
    )
    open_on_page(page, live, meldcode)
    page.wait_for_selector("h1:has-text('Jouw bewaarde melding')")
    main = page.inner_text("main")
    assert secret in main  # decrypted in the browser
    assert "nog niet verstuurd" in main and "Wordt verwijderd op" in main
    assert "Nu versturen naar Vertrouwenspersoon" in main
    axe_check(page, "volgen-bewaard")
    screenshot(page, "volgen-bewaard")

    page.fill("#bewaard-tekst", extra)
    page.click("text=Voeg toe")
    page.wait_for_selector("text=Je aanvulling staat bij je bewaarde melding")
    assert extra in page.inner_text("main")
    assert [m["id"] for m in loket_inbox(live)[1]] == [m["id"] for m in before]

    page.click("text=Nu versturen naar")
    page.wait_for_selector("text=Je melding is verstuurd")
    page.wait_for_selector("h1:has-text('Jouw melding')")
    main = page.inner_text("main")
    assert "Vastgelegd op" in main and "Ontvangen op" in main
    assert "Vertrouwenspersoon" in main

    # The loket has it now, with the original time, and reads what the browser sealed.
    _, after = loket_inbox(live)
    new = [m for m in after if m["id"] not in {b["id"] for b in before}]
    assert len(new) == 1 and new[0]["vastgelegd_op"]
    detail = httpx.get(live.base + f"/api/v1/loket/meldingen/{new[0]['id']}", headers=auth)
    inhoud = detail.json()["inhoud"]
    assert secret in inhoud["beschrijving"] and extra in inhoud["beschrijving"]

    # Nothing that derives the melder's key, and no content in clear, left the browser.
    log = "\n".join(sent)
    assert any("/api/v1/melder/bewaard/versturen" in r for r in sent), sent
    for form in key_material(meldcode):
        assert form not in log, "a value that derives the melder's key left the browser"
    assert secret not in log and extra not in log


def test_delete_a_bewaarmelding_in_the_browser(page: Any, live: Live) -> None:
    meldcode = store_in_chat(
        live, "Mijn teamchef maakt steeds grappen over mijn afkomst als iedereen erbij is."
    )
    open_on_page(page, live, meldcode)
    page.wait_for_selector("h1:has-text('Jouw bewaarde melding')")
    page.check("#zeker-weg")
    page.click("button:has-text('Verwijder')")
    page.wait_for_selector("text=Je bewaarde melding is verwijderd")

    open_on_page(page, live, meldcode)
    page.wait_for_selector("#volgen-fout:not([hidden])")
    assert "geen melding" in page.inner_text("#volgen-fout")
