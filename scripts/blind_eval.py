"""Situation recognition on the frozen, blind-written evaluation set (issue 17).

``tests/nlu/blind_eval_c.yml`` was written by three helpers who never saw ``data/nlu/``;
it is never trained on (``tests/bot/test_blind_eval.py`` checks there is no overlap). This
module parses every text with a trained model, exactly as ``POST /model/parse`` does,
and computes what a melder notices:

* **top-1**: the top intent is a right ``situatie_<code>`` (an item may list two equally
  right situations);
* **top-1 ignoring fallback**: the same, for the best intent under ``nlu_fallback``;
* **top-3 situations**: a right situation is among the three situation buttons the bot
  offers (the three most likely ``situatie_*`` intents);
* **fallback rate**: the share of melders who get the "which of these?" fallback;
* the confusions (right situation -> what the model said).

Usage (bot environment): ``.venv-bot/bin/python scripts/blind_eval.py [MODEL] [--json]``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Set C is the yardstick (round 4 on): written blind by three helpers, never read while
# improving the model. The earlier blind sets A and B served as yardstick and development
# set up to round 3 and are training data since (data/nlu/situaties_blind_ab.yml;
# docs/nlu-evaluation.md).
BLIND_SET = ROOT / "tests" / "nlu" / "blind_eval_c.yml"
SITUATION_PREFIX = "situatie_"
FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Item:
    text: str
    labels: tuple[str, ...]


@dataclass
class BlindResult:
    items: int
    top1: float
    top1_without_fallback: float
    top3_situations: float
    fallback_rate: float
    per_situation_top1: dict[str, float] = field(default_factory=dict)
    # (right situation, what the model said under the fallback, count)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)


def load_items(path: Path = BLIND_SET) -> list[Item]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Item(str(i["text"]), tuple(str(x) for x in i["labels"])) for i in document["items"]]


def _situation(intent: str | None) -> str | None:
    if intent and intent.startswith(SITUATION_PREFIX):
        return intent[len(SITUATION_PREFIX) :]
    return None


def score(items: Sequence[Item], parses: Sequence[Mapping[str, Any]]) -> BlindResult:
    """The figures for ``parses`` (Rasa parse results, in the order of ``items``)."""
    top1 = without_fallback = top3 = fallbacks = 0
    right_by_label: Counter[str] = Counter()
    total_by_label: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    for item, parse in zip(items, parses, strict=True):
        intent = str((parse.get("intent") or {}).get("name") or "")
        ranking = [str(r.get("name")) for r in parse.get("intent_ranking") or []]
        best = next((name for name in ranking if name != FALLBACK), intent)
        situations = [s for s in (_situation(name) for name in ranking) if s][:3]
        right = _situation(intent) in item.labels
        top1 += right
        without_fallback += _situation(best) in item.labels
        top3 += any(label in situations for label in item.labels)
        fallbacks += intent == FALLBACK
        total_by_label[item.labels[0]] += 1
        right_by_label[item.labels[0]] += right
        if _situation(best) not in item.labels:
            confusions[(item.labels[0], _situation(best) or best)] += 1
    n = len(items)
    return BlindResult(
        items=n,
        top1=top1 / n,
        top1_without_fallback=without_fallback / n,
        top3_situations=top3 / n,
        fallback_rate=fallbacks / n,
        per_situation_top1={
            label: right_by_label[label] / total for label, total in sorted(total_by_label.items())
        },
        confusions=[(a, b, c) for (a, b), c in confusions.most_common()],
    )


async def _parse_all(model: Path, texts: Iterable[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs every parsed text at debug level; these runs print figures only.
    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def evaluate(model: Path, path: Path = BLIND_SET) -> BlindResult:
    items = load_items(path)
    parses = asyncio.run(_parse_all(model, [i.text for i in items]))
    return score(items, parses)


def summary_lines(result: BlindResult) -> list[str]:
    return [
        f"blind set: {result.items} descriptions",
        f"top-1 right situation: {result.top1:.3f}",
        f"top-1 ignoring nlu_fallback: {result.top1_without_fallback:.3f}",
        f"right situation among the 3 situation buttons: {result.top3_situations:.3f}",
        f"fallback ('which of these?'): {result.fallback_rate:.1%}",
    ]


def main(argv: Sequence[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from scripts.train_model import model_for_tests

    args = [a for a in argv if not a.startswith("--")]
    model = Path(args[0]) if args else model_for_tests()
    result = evaluate(model)
    if "--json" in argv:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=1))
    else:
        print("\n".join(summary_lines(result)))
        for label, share in result.per_situation_top1.items():
            print(f"  {label:<24} {share:.2f}")
        print("confusions (right -> said):")
        for right, said, count in result.confusions[:25]:
            print(f"  {right} -> {said}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
