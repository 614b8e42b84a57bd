"""The melder's explanation of the privacy check reads at B1 level, like the bot's texts."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bot.test_readability import MIN_EACH, reading_ease

DOC = Path(__file__).resolve().parents[2] / "docs" / "melder" / "anoniem-blijven.md"


def test_every_paragraph_of_the_melder_explanation_is_easy_to_read() -> None:
    # A list item is read as a sentence of its own.
    paragraphs = [
        ". ".join(line.strip(" -*#;") for line in p.splitlines())
        for p in DOC.read_text(encoding="utf-8").split("\n\n")
        if len(re.findall(r"\w+", p)) >= 5
    ]
    assert len(paragraphs) >= 5
    scores = {p[:40]: reading_ease(p) for p in paragraphs}
    assert [k for k, score in scores.items() if score < MIN_EACH] == [], scores
