"""The pages in a real browser: a melding through the chat by clicking buttons, the
loket answers in the portal, the melder reads it on the follow-up page; Snel weg,
keyboard-only use, axe-core on every page, screenshots of each page.

The tests of this module share one melding and run in file order.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from tests.canaries import canary as make_canary
from tests.integration.conftest import ANSWERS as INTEGRATION_ANSWERS

from .conftest import PASSWORD, USER, Live, axe_check, screenshot

pytestmark = pytest.mark.browser

MELDCODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
SECRET = make_canary("CANARY", 10)
STORY = (
    "Mijn collega's in de ploeg lachen me al maanden uit bij de briefing "
    f"en maken me belachelijk in de app-groep. {SECRET}"
)
REPLY = "Dank je voor je melding. Wil je vertellen wanneer het de laatste keer gebeurde?"


def bot_count(page: Any) -> int:
    return int(page.locator(".msg.bot").count())


def settle(page: Any, before: int) -> None:
    """Wait for the bot's answer to this turn (all messages, typing indicator gone)."""
    page.wait_for_function(
        "n => document.querySelectorAll('.msg.bot').length > n", arg=before, timeout=60_000
    )
    page.wait_for_selector("#typing", state="hidden", timeout=60_000)


def open_chat(page: Any, live: Live, path: str = "/chat") -> None:
    page.goto(live.base + path)
    settle(page, 0)


def click(page: Any, *parts: str) -> None:
    selector = ".buttons:not(.answered) button" + "".join(
        f"[data-payload*='{part}']" for part in parts
    )
    before = bot_count(page)
    page.locator(selector).first.click()
    settle(page, before)


def type_message(page: Any, text: str) -> None:
    before = bot_count(page)
    page.fill("#input", text)
    page.press("#input", "Enter")
    settle(page, before)


# As a clicking melder answers (tests/integration/conftest.py), but forwarding allowed.
ANSWERS = {**INTEGRATION_ANSWERS, "toestemming_doorsturen": "ja"}


def answer_open_questions(page: Any) -> list[str]:
    """Click an answer to every question the bot asks now (only those); the slots asked."""
    asked: list[str] = []
    buttons = page.locator(".buttons:not(.answered) button[data-payload^='/inform']")
    while buttons.count() and len(asked) < 12:
        payload = str(buttons.first.get_attribute("data-payload"))
        slot = str(next(iter(json.loads(payload[len("/inform") :]))))
        asked.append(slot)
        click(page, f'"{slot}": "{ANSWERS[slot]}"')
    return asked


def last_bot_text(page: Any) -> str:
    return str(page.locator(".msg.bot").last.inner_text())


def all_text(page: Any) -> str:
    return str(page.locator("#messages").inner_text())


def test_full_melding_through_the_chat_by_clicking_buttons(page: Any, live: Live) -> None:
    open_chat(page, live)
    assert page.locator("#snel-weg").is_visible()
    assert "Er gaat niets weg zonder jouw toestemming" in page.inner_text(".notice")
    axe_check(page, "chat")
    screenshot(page, "chat-welkom")

    click(page, "/wil_vertellen")
    assert "eigen woorden" in all_text(page)
    type_message(page, STORY)
    assert "Klopt dat?" in all_text(page)
    click(page, "/bevestig_categorie")
    assert "Bij welke eenheid werk je?" in all_text(page)

    # A reload in the same tab keeps the conversation and the socket session.
    shown = bot_count(page)
    page.reload()
    page.wait_for_selector(".msg.bot")
    assert bot_count(page) == shown and SECRET in all_text(page)
    page.wait_for_timeout(500)  # let the socket reconnect
    assert bot_count(page) == shown  # no new greeting after a reload

    asked = answer_open_questions(page)
    assert asked[0] == "eenheid" and "wens" in asked
    assert "Jij kiest" in all_text(page)
    click(page, "gekozen_loket", '"vertrouwenspersoon"')
    assert "anoniem" in answer_open_questions(page)
    assert SECRET in last_bot_text(page) or SECRET in all_text(page)
    screenshot(page, "chat-samenvatting")
    click(page, "/verstuur")
    text = all_text(page)
    assert "Je melding is verstuurd" in text
    meldcode = MELDCODE.findall(text)
    assert meldcode, text
    live.shared["meldcode"] = meldcode[-1]
    page.locator(".msg.bot").last.scroll_into_view_if_needed()
    screenshot(page, "chat-meldcode")
    axe_check(page, "chat-na-melding")
    # Old answers can no longer be clicked.
    assert page.locator(".buttons.answered button:enabled").count() == 0


def test_loket_portal_logs_in_decrypts_and_answers(page: Any, live: Live) -> None:
    assert "meldcode" in live.shared, "needs the melding of the chat test"
    page.goto(live.base + "/portaal")
    assert page.url.endswith("/portaal/inloggen")
    axe_check(page, "portaal-inloggen")
    screenshot(page, "portaal-inloggen")
    page.fill("#naam", USER)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portaal/inbox")
    # A vertrouwenspersoon has no term: the inbox says so, without dates.
    assert "Geen termijn" in page.inner_text("table.inbox")
    assert "uiterlijk" not in page.inner_text("table.inbox")
    axe_check(page, "portaal-inbox")
    screenshot(page, "portaal-inbox")

    page.locator("table.inbox a", has_text="Open").first.click()
    page.wait_for_url("**/portaal/melding/*")
    assert SECRET in page.inner_text("main")  # decrypted in the session
    axe_check(page, "portaal-melding")
    screenshot(page, "portaal-melding")
    page.fill("#bericht", REPLY)
    page.click("text=Verstuur aan de melder")
    page.wait_for_selector(".melding.succes")
    assert REPLY in page.inner_text(".berichten")
    page.check("#status-bevestigd")
    page.click("text=Wijzig status")
    page.wait_for_selector("text=De status is nu: Bevestigd")
    page.fill("#notitie", "Eerst bellen met de teamchef? Overleg vrijdag.")
    page.click("text=Bewaar notitie")
    page.wait_for_selector("text=Je notitie is opgeslagen")

    page.goto(live.base + "/portaal/statistiek")
    assert page.locator("svg.chart").count() >= 5
    axe_check(page, "portaal-statistiek")
    screenshot(page, "portaal-statistiek")
    csv = page.request.get(live.base + "/portaal/statistiek.csv")
    assert csv.status == 200 and "text/csv" in csv.headers["content-type"]


def key_material(meldcode: str) -> list[str]:
    """Every form of a value that derives the melder's key: the code, its secret part,
    the scrypt seed (= Ed25519 private key) and the X25519 private key."""
    from envelope.melder_key import melder_keys
    from envelope.sealing import b64e

    keys = melder_keys(meldcode)
    plain = meldcode.replace("-", "")
    forms = [meldcode, meldcode.lower(), plain, plain.lower(), plain[4:], plain[4:].lower()]
    for secret in (keys.seed, keys.private_key):
        forms += [secret.hex(), b64e(secret), b64e(secret).rstrip("=")]
    return forms


def test_follow_up_page_shows_the_loket_reply(page: Any, live: Live) -> None:
    """The melder's cryptography runs in the browser: the network log of every request
    the page makes holds neither the meldcode nor anything that derives the key, nor the
    melder's reply in clear; the loket opens the reply the browser sealed."""
    assert "meldcode" in live.shared, "needs the melding of the chat test"
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(f"{r.method} {r.url}\n{r.headers}\n{r.post_data or ''}"),
    )
    page.goto(live.base + "/volgen")
    axe_check(page, "volgen")
    screenshot(page, "volgen")
    page.fill("#meldcode", live.shared["meldcode"].lower())
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("h1:has-text('Jouw melding')")
    assert live.shared["meldcode"] not in page.url
    main = page.inner_text("main")
    assert REPLY in main
    assert "Bevestigd" in main
    assert "Bevestiging uiterlijk" not in main and "Terugkoppeling uiterlijk" not in main
    assert "geen vaste termijn" in main and "Bron:" in main
    axe_check(page, "volgen-melding")
    screenshot(page, "volgen-melding")
    antwoord = f"Vorige week dinsdag, bij de briefing. {SECRET}-antwoord"
    page.fill("#bericht", antwoord)
    page.click("text=Verstuur bericht")
    page.wait_for_selector("text=Je bericht is verstuurd")
    assert antwoord in page.inner_text(".berichten")
    cookies = page.context.cookies()
    assert [c["name"] for c in cookies] == ["mw_volgen"]
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict"

    api = [r for r in sent if "/api/v1/melder/" in r]
    assert any("/api/v1/melder/berichten" in r for r in api), sent
    assert all('"bewijs"' in r for r in api if "/uitdaging" not in r)
    log = "\n".join(sent)
    for form in key_material(live.shared["meldcode"]):
        assert form not in log, "a value that derives the melder's key left the browser"
    assert f"{SECRET}-antwoord" not in log  # sealed in the browser, not sent in clear

    # The loket opens what the browser sealed (HPKE in JavaScript -> cryptography).
    token = httpx.post(
        live.base + "/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    inbox = httpx.get(live.base + "/api/v1/loket/meldingen", headers=auth).json()
    melding_id = inbox["meldingen"][0]["id"]
    detail = httpx.get(live.base + f"/api/v1/loket/meldingen/{melding_id}", headers=auth)
    assert antwoord in [b["tekst"] for b in detail.json()["berichten"]]


def test_snel_weg_leaves_nothing_behind(page: Any, live: Live) -> None:
    open_chat(page, live)
    click(page, "/wil_vertellen")
    secret = make_canary("GEHEIM", 8)
    type_message(page, f"Mijn leidinggevende schreeuwt elke dag tegen me. {secret}")
    sender = page.evaluate("sessionStorage.getItem('mw-sender')")
    assert sender and secret in page.evaluate("JSON.stringify(sessionStorage)")

    page.click("#snel-weg")
    page.wait_for_url("**/weg")
    assert page.title() == "Startpagina"
    assert secret not in page.content()
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("localStorage.length") == 0
    assert page.context.cookies() == []
    screenshot(page, "snel-weg")
    axe_check(page, "weg")
    # The server side forgot the conversation too (the tracker restarted).
    tracker_url = live.config.rasa_api(f"/conversations/{sender}/tracker")
    for _ in range(20):
        tracker = httpx.get(tracker_url, timeout=10).json()
        if secret not in str(tracker.get("events", [])):
            break
        page.wait_for_timeout(250)
    assert secret not in str(tracker.get("latest_message", {}))
    assert secret not in str(tracker.get("slots", {}))
    # Back does not bring the chat back with the text.
    page.go_back()
    page.wait_for_load_state()
    assert secret not in page.content()


def test_chat_by_keyboard_only(page: Any, live: Live) -> None:
    open_chat(page, live)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "snel-weg"
    # Tab on to the first answer button of the greeting and choose it with Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.payload || ''") == "/wil_vertellen":
            break
    else:
        pytest.fail("the greeting buttons are not reachable with Tab")
    before = bot_count(page)
    page.keyboard.press("Enter")
    settle(page, before)
    assert page.evaluate("document.activeElement.id") == "input"  # no buttons: back to typing
    page.keyboard.type(STORY.replace(SECRET, "").strip())
    before = bot_count(page)
    page.keyboard.press("Enter")
    settle(page, before)
    assert "Klopt dat?" in all_text(page)
    # Shift+Tab from the text box reaches the newest answer buttons.
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.dataset.payload || ''") == "/bevestig_categorie":
            break
    else:
        pytest.fail("the answer buttons are not reachable with Shift+Tab")
    before = bot_count(page)
    page.keyboard.press("Space")
    settle(page, before)
    assert "Bij welke eenheid werk je?" in all_text(page)
    # After choosing a button, focus moves to the new buttons.
    assert "eenheid" in page.evaluate("document.activeElement.dataset.payload || ''")
    screenshot(page, "chat-toetsenbord")


def test_aspirant_entry_starts_onboarding(page: Any, live: Live) -> None:
    open_chat(page, live, "/chat/aspirant")
    assert "aspirant" in page.inner_text(".notice").lower()
    assert page.locator(".msg.bot").count() >= 1
    axe_check(page, "chat-aspirant")
    screenshot(page, "chat-aspirant")


@pytest.mark.parametrize(
    "path,name",
    [("/routeboekje", "routeboekje-index"), ("/routeboekje/rotterdam", "routeboekje-rotterdam")],
)
def test_routeboekje_pages(page: Any, live: Live, path: str, name: str) -> None:
    page.goto(live.base + path)
    axe_check(page, name)
    screenshot(page, name)
    if name == "routeboekje-rotterdam":
        pdf = page.request.get(live.base + "/routeboekje/rotterdam.pdf")
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


def test_chat_may_be_framed_only_by_the_configured_intranet(live: Live) -> None:
    chat = httpx.get(live.base + "/chat")
    assert (
        "frame-ancestors 'self' https://intranet.voorbeeld.invalid"
        in chat.headers["content-security-policy"]
    )
    portal = httpx.get(live.base + "/portaal/inloggen")
    assert "frame-ancestors 'none'" in portal.headers["content-security-policy"]
