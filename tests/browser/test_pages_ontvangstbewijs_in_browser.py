"""The ontvangstbewijs in a real browser: a melding through the chat offers the receipt
as JSON and PDF; the follow-up page offers the same receipt; the public verify page
says valid for it, by file and by pasted text, and not valid once one field changed.

(Named to run after test_pages_in_browser.py, whose loket test reads the first melding.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import Live, axe_check, screenshot
from .test_pages_in_browser import (
    STORY,
    all_text,
    answer_open_questions,
    click,
    open_chat,
    type_message,
)

pytestmark = pytest.mark.browser

MELDCODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")


def _download(page: Any, selector: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.locator(selector).last.click()
    info.value.save_as(str(target))
    return target


def _check_file(page: Any, live: Live, path: Path) -> str:
    page.goto(live.base + "/bewijs/controleren")
    page.set_input_files("#bestand", str(path))
    page.click("#bewijs-form button[type=submit]")
    page.wait_for_selector("#bewijs-uitslag")
    return str(page.get_attribute("#bewijs-uitslag", "data-geldig"))


def test_receipt_from_chat_and_follow_up_page_verifies_on_the_page(
    page: Any, live: Live, tmp_path: Path
) -> None:
    # 1. A melding through the chat, by clicking.
    open_chat(page, live)
    click(page, "/wil_vertellen")
    type_message(page, STORY)
    click(page, "/bevestig_categorie")
    answer_open_questions(page)
    click(page, "gekozen_loket", '"vertrouwenspersoon"')
    answer_open_questions(page)
    click(page, "/verstuur")
    text = all_text(page)
    assert "Download dan je ontvangstbewijs" in text
    meldcode = MELDCODE.findall(text)[-1]
    page.locator(".msg.bewijs").last.scroll_into_view_if_needed()
    screenshot(page, "chat-ontvangstbewijs")
    axe_check(page, "chat-ontvangstbewijs")

    # 2. Both downloads in the chat.
    uit_chat = _download(page, ".msg.bewijs .bewijs-json", tmp_path / "chat.json")
    bewijs = json.loads(uit_chat.read_text(encoding="utf-8"))
    assert bewijs["formaat"] == "meldwijzer.ontvangstbewijs/1"
    assert bewijs["loket"] == "vertrouwenspersoon"
    assert "lachen" not in uit_chat.read_text(encoding="utf-8")  # no content
    pdf = _download(page, ".msg.bewijs .bewijs-pdf", tmp_path / "chat.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")

    # 3. The same receipt on the follow-up page.
    page.goto(live.base + "/volgen")
    page.fill("#meldcode", meldcode)
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("section.ontvangstbewijs")
    assert "Ontvangstbewijs" in page.inner_text("main")
    axe_check(page, "volgen-ontvangstbewijs")
    uit_volgen = _download(page, ".ontvangstbewijs .bewijs-json", tmp_path / "volgen.json")
    assert json.loads(uit_volgen.read_text(encoding="utf-8")) == bewijs
    pdf2 = _download(page, ".ontvangstbewijs .bewijs-pdf", tmp_path / "volgen.pdf")
    assert pdf2.read_bytes().startswith(b"%PDF")

    # 4. The verify page: valid by file, valid by paste, not valid when changed.
    assert _check_file(page, live, uit_volgen) == "ja"
    main = page.inner_text("main")
    assert "echt" in main and bewijs["melding_id"] in main and "logboek" in main
    axe_check(page, "bewijs-controleren")
    screenshot(page, "bewijs-controleren")
    for field, value in (("ontvangen_op", "2026-01-01T09:00:00+00:00"), ("loket", "lmm")):
        changed = tmp_path / f"veranderd-{field}.json"
        changed.write_text(json.dumps({**bewijs, field: value}), encoding="utf-8")
        assert _check_file(page, live, changed) == "nee", field
        assert "Niet geldig" in page.inner_text("main")
    page.goto(live.base + "/bewijs/controleren")
    page.fill("#bewijs", uit_chat.read_text(encoding="utf-8"))
    page.click("#bewijs-form button[type=submit]")
    page.wait_for_selector("#bewijs-uitslag[data-geldig='ja']")
