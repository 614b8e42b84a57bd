"""Paths, targets and the reading of the training data and the pipeline config."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from backend.routing.codes import CATEGORIEEN  # stdlib-only module, safe in the bot env

ROOT = Path(__file__).resolve().parents[2]
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
NLU_DIR = ROOT / "data" / "nlu"
CONFIG = ROOT / "bot" / "config.yml"
DOMAIN = ROOT / "bot" / "domain"
REPORT = ROOT / "docs" / "nlu-report.md"

FOLDS = 5
SEED = 42
TARGET_MACRO_F1 = 0.93  # issue 17: cross-validation stays >= 0.93
# "Clearly above the baseline": at least this much macro F1 on the situation intents.
CLEAR_MARGIN = 0.03
# actions/conversation.py: below this confidence the bot does not name the situation but
# offers all 19 as buttons.
CONFIDENT = 0.4  # the FallbackClassifier threshold in bot/config.yml

# CONTRACT.md §1, in contract order: one intent `situatie_<code>` per category.
SITUATION_CODES: tuple[str, ...] = CATEGORIEEN
SITUATION_INTENTS: tuple[str, ...] = tuple(f"situatie_{code}" for code in SITUATION_CODES)

# Same pattern as rasa.shared.nlu.training_data.entities_parser.ENTITY_REGEX (Rasa 3.6):
# [text](entity), [text](entity:value), [text]{"entity": ...}, [text][{...}, {...}].
ENTITY_RE = re.compile(
    r"\[(?P<text>[^\]]+?)\]"
    r"(\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)"
    r"|\{(?P<entity_dict>[^}]+?)\}"
    r"|\[(?P<list_entity_dicts>.*?)\])"
)
STRIP_SYMBOLS = "\n\r "


@dataclass(frozen=True)
class Example:
    text: str
    intent: str  # full intent as written, e.g. "faq/openingstijden"
    source: str  # file name

    @property
    def label(self) -> str:
        """Intent as evaluated: retrieval intents collapse to their base intent."""
        return base_intent(self.intent)


def base_intent(intent: str) -> str:
    """``faq/openingstijden`` -> ``faq``; other intents unchanged."""
    return intent.split("/", 1)[0]


def strip_entities(text: str) -> str:
    """Replace entity annotations by their plain text, like Rasa does."""
    return ENTITY_RE.sub(lambda match: match.group("text"), text)


def split_examples(block: Any) -> list[str]:
    """The example texts of one ``examples`` value (multi-line string or list of dicts)."""
    raw: list[str] = []
    if isinstance(block, str):
        for line in block.splitlines():
            if line.startswith("-"):
                raw.append(line[1:].strip(STRIP_SYMBOLS))
    elif isinstance(block, list):
        for item in block:
            if isinstance(item, Mapping):
                raw.append(str(item.get("text", "")).strip(STRIP_SYMBOLS))
            elif isinstance(item, str):
                raw.append(item.strip(STRIP_SYMBOLS))
    return [text for text in (strip_entities(r).strip() for r in raw) if text]


def examples_from_document(document: Any, source: str) -> list[Example]:
    """Intent examples of one parsed NLU YAML document (synonyms, lookups, regexes skipped)."""
    if not isinstance(document, Mapping):
        return []
    found: list[Example] = []
    for item in document.get("nlu") or []:
        if not isinstance(item, Mapping) or not item.get("intent"):
            continue
        intent = str(item["intent"]).strip()
        found.extend(Example(text, intent, source) for text in split_examples(item.get("examples")))
    return found


def deduplicate(examples: Iterable[Example]) -> list[Example]:
    """Drop repeated (text, intent) pairs, keeping the first; Rasa does the same."""
    seen: set[tuple[str, str]] = set()
    unique: list[Example] = []
    for example in examples:
        key = (example.text, example.intent)
        if key not in seen:
            seen.add(key)
            unique.append(example)
    return unique


def load_examples(nlu_dir: Path) -> list[Example]:
    examples: list[Example] = []
    for path in sorted(nlu_dir.glob("*.yml")) + sorted(nlu_dir.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples.extend(examples_from_document(document, path.name))
    return deduplicate(examples)


def drop_rare_intents(
    examples: Sequence[Example], min_count: int
) -> tuple[list[Example], list[str]]:
    """Keep intents with at least ``min_count`` examples (Rasa's cross-validation cut-off)."""
    counts = Counter(example.label for example in examples)
    dropped = sorted(label for label, count in counts.items() if count < min_count)
    return [e for e in examples if counts[e.label] >= min_count], dropped


def conflicting_texts(examples: Iterable[Example]) -> dict[str, list[str]]:
    """Texts (case-insensitive) that appear under more than one evaluated intent."""
    intents: dict[str, set[str]] = {}
    for example in examples:
        intents.setdefault(example.text.casefold(), set()).add(example.label)
    return {text: sorted(labels) for text, labels in sorted(intents.items()) if len(labels) > 1}


def ordered_intents(labels: Iterable[str]) -> list[str]:
    """Situation intents in contract order first, then the others alphabetically."""
    present = set(labels)
    situations = [intent for intent in SITUATION_INTENTS if intent in present]
    return situations + sorted(present - set(SITUATION_INTENTS))


def _pipeline(config_path: Path) -> list[Mapping[str, Any]]:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    return [c for c in config.get("pipeline") or [] if isinstance(c, Mapping) and c.get("name")]


def fallback_threshold(config_path: Path) -> float | None:
    for component in _pipeline(config_path):
        if component["name"] == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return None


def pipeline_names(config_path: Path) -> list[str]:
    """Component names of the NLU pipeline, in order (the report lists them as written)."""
    return [str(component["name"]) for component in _pipeline(config_path)]
