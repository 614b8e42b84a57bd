"""The follow-up page opened with the meldcode in words (web/src/volgen_woorden.js).

The melding is sent through the real chat (REST channel); the melder then types only
the words on the follow-up page. The words never leave the browser.
"""

from __future__ import annotations

from typing import Any

import pytest

from envelope.meldcode_woorden import format_words, meldcode_to_words, suggestion, word_index
from tests.integration.conftest import Melder
from tests.integration.test_end_to_end import send_quick_melding

from .conftest import Live, axe_check, screenshot

pytestmark = pytest.mark.browser


def first_letter_typo(word: str) -> str:
    """The word with its first letter changed so that it is no list word at all.

    A changed first letter can make another list word ('duinpan' -> 'quinpan' reads as
    'quinoa', same first four letters): that is a valid, different meldcode, not a typo
    the page can name. Such letters are skipped; the typo is one edit from ``word`` only.
    """
    for letter in "qxzjyvkw":
        typo = letter + word[1:]
        if letter != word[0] and word_index(typo) is None and suggestion(typo) == word:
            return typo
    raise AssertionError(f"no first-letter typo of {word!r} is unknown and unambiguous")


def test_first_letter_typo_is_never_another_word() -> None:
    for word in ("duinpan", "muilezel", "tuintje", "quiz"):
        typo = first_letter_typo(word)
        assert word_index(typo) is None and suggestion(typo) == word


def test_follow_up_page_opens_with_the_words(page: Any, live: Live) -> None:
    chat = Melder(live.config.rasa_url)
    code = send_quick_melding(chat, "Mijn teamchef schreeuwt tegen me bij elke briefing.")
    shown = format_words(code)
    assert shown in chat.text  # the chat shows the words as well
    words = meldcode_to_words(code)

    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.url}\n{r.post_data or ''}"))
    page.goto(live.base + "/volgen")
    field = page.locator("#meldcode")
    assert "10 woorden" in page.inner_text("#meldcode-hint")
    assert field.get_attribute("aria-describedby") == "meldcode-hint"
    assert int(field.get_attribute("maxlength") or 0) >= len(shown)

    # One letter wrong in the first four of the 7th word: named, with a suggestion.
    typo = list(words)
    typo[6] = first_letter_typo(words[6])
    page.fill("#meldcode", " ".join(typo))
    page.click("text=Bekijk mijn melding")
    fout = page.locator("#volgen-fout")
    fout.wait_for(state="visible")
    melding_fout = fout.inner_text()
    assert "7e woord" in melding_fout and typo[6] in melding_fout and words[6] in melding_fout
    screenshot(page, "volgen-woord-fout")

    page.fill("#meldcode", " ".join(words[:9]))
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("#volgen-fout:has-text('typte er 9')")

    # The words as shown in the chat, in capitals: the melding opens.
    page.fill("#meldcode", shown.upper())
    page.click("text=Bekijk mijn melding")
    page.wait_for_selector("h1:has-text('Jouw melding')")
    assert "Ontvangen op" in page.inner_text("main")
    axe_check(page, "volgen-woorden")
    log = "\n".join(sent).lower()
    for i in range(0, 10, 2):
        assert f"{words[i]}-{words[i + 1]}" not in log
        assert f"{words[i]} {words[i + 1]}" not in log and f"{words[i]}+{words[i + 1]}" not in log
    assert code.lower() not in log and code.replace("-", "").lower() not in log
