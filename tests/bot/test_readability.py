"""Every text the bot says reads at B1 level: Flesch-Douma (textstat, Dutch) per text.

Covers the texts the action server says (bot/texts.yml) and the Rasa responses
(bot/domain/*.yml: the rules' texts and the FAQ answers). Each text must score at
least 60 and the mean at least 75. Texts under five words (labels such as
"Berichten:") are left out: a reading-ease formula says nothing about them. The
lowest ten are printed. The routeboekje data and the pages are the content issue's.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import textstat
import yaml

ROOT = Path(__file__).resolve().parents[2]
MIN_EACH = 60.0
MIN_MEAN = 75.0
MIN_WORDS = 5


def bot_texts() -> dict[str, str]:
    texts = {f"texts.yml:{k}": str(v) for k, v in yaml.safe_load(
        (ROOT / "bot" / "texts.yml").read_text(encoding="utf-8")).items()}  # fmt: skip
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        responses = yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}
        for name, variants in responses.items():
            for i, variant in enumerate(variants):
                texts[f"{path.name}:{name}#{i}"] = str(variant.get("text") or "")
    return texts


def reading_ease(text: str) -> float:
    textstat.set_lang("nl")
    plain = re.sub(r"\{[a-z_]+\}", "X", text)  # a placeholder counts as one short word
    return float(textstat.flesch_reading_ease(plain))


def test_every_bot_text_is_easy_to_read() -> None:
    scores = {
        key: reading_ease(text)
        for key, text in bot_texts().items()
        if len(re.findall(r"\w+", text)) >= MIN_WORDS
    }
    lowest = sorted(scores.items(), key=lambda kv: kv[1])[:10]
    print("\nlowest ten:\n" + "\n".join(f"{score:6.1f}  {key}" for key, score in lowest))
    mean = statistics.mean(scores.values())
    print(f"{len(scores)} texts, mean {mean:.1f}")
    assert len(scores) > 100
    assert [key for key, score in scores.items() if score < MIN_EACH] == []
    assert mean >= MIN_MEAN


def test_the_check_can_fail() -> None:
    hard = "Bedrijfsmaatschappelijkwerkgerelateerde ondersteuningsmogelijkheden zijn beschikbaar."
    assert reading_ease(hard) < MIN_EACH <= reading_ease("Je kunt altijd met iemand praten.")
