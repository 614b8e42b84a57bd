"""The frozen blind evaluation set in the report: scoring the full model and the section.

The set and its scoring live in ``scripts/blind_eval.py``; this module only trains (or
reuses) the model of the current data, calls it, and renders the figures next to their
targets (issue 17).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.blind_eval import BLIND_SET, BlindResult
from scripts.nlu_report.data import ROOT, SITUATION_CODES

BLIND_TITLE = "Blind evaluation set (written without seeing data/nlu)"
# Issue 17 targets.
TARGET_TOP1 = 0.90
TARGET_TOP1_WITHOUT_FALLBACK = 0.93
TARGET_TOP3 = 0.99
TARGET_FALLBACK = 0.08
CONFUSIONS_SHOWN = 15


def score_blind_set() -> tuple[Path, BlindResult]:
    """Train (or reuse, cached by data hash) the full model and score the blind set."""
    from scripts.blind_eval import evaluate
    from scripts.train_model import ensure_model

    model = ensure_model()
    return model, evaluate(model)


def load_blind_json(path: Path) -> BlindResult:
    """A result written by ``scripts/blind_eval.py MODEL --json``."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return BlindResult(
        items=int(raw["items"]),
        top1=float(raw["top1"]),
        top1_without_fallback=float(raw["top1_without_fallback"]),
        top3_situations=float(raw["top3_situations"]),
        fallback_rate=float(raw["fallback_rate"]),
        per_situation_top1={str(k): float(v) for k, v in raw.get("per_situation_top1", {}).items()},
        confusions=[(str(a), str(b), int(c)) for a, b, c in raw.get("confusions", [])],
    )


def _share(value: float) -> str:
    return f"{value:.3f}"


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


@dataclass(frozen=True)
class Measure:
    name: str
    field: str  # attribute of BlindResult
    target: float
    at_least: bool  # the target is a floor (else a ceiling)
    percent: bool = False

    def value(self, result: BlindResult) -> float:
        return float(getattr(result, self.field))

    def text(self, value: float) -> str:
        return _percent(value) if self.percent else _share(value)

    def target_text(self) -> str:
        bound = f"{100 * self.target:.0f} %" if self.percent else f"{self.target:.2f}"
        return f"{'≥' if self.at_least else '≤'} {bound}"

    def met(self, value: float) -> bool:
        return value >= self.target if self.at_least else value <= self.target


MEASURES = (
    Measure("top-1 right situation", "top1", TARGET_TOP1, at_least=True),
    Measure(
        "top-1 ignoring `nlu_fallback`",
        "top1_without_fallback",
        TARGET_TOP1_WITHOUT_FALLBACK,
        at_least=True,
    ),
    Measure(
        "right situation among the 3 situation buttons",
        "top3_situations",
        TARGET_TOP3,
        at_least=True,
    ),
    Measure(
        "fallback (“which of these?”)",
        "fallback_rate",
        TARGET_FALLBACK,
        at_least=False,
        percent=True,
    ),
)


def blind_headline(blind: BlindResult | None) -> str:
    """The blind-set clause of the report's first paragraph."""
    if blind is None:
        return "the blind evaluation set was not scored for this report"
    return (
        f"on the blind evaluation set of {blind.items} descriptions the top-1 situation is "
        f"right in **{_share(blind.top1)}** (target {MEASURES[0].target_text()}) and "
        f"**{_percent(blind.fallback_rate)}** get the fallback "
        f"(target {MEASURES[3].target_text()})"
    )


def _situation_order(codes: Sequence[str]) -> list[str]:
    known = [code for code in SITUATION_CODES if code in codes]
    return known + sorted(set(codes) - set(SITUATION_CODES))


def blind_section(
    blind: BlindResult, model: str = "", before: BlindResult | None = None, before_name: str = ""
) -> list[str]:
    """Markdown lines of the blind-set section (without a trailing blank line)."""
    try:
        where = f"`{BLIND_SET.relative_to(ROOT)}`"
    except ValueError:
        where = f"`{BLIND_SET}`"
    lines = [
        f"## {BLIND_TITLE}",
        "",
        f"{blind.items} situation descriptions in {where}, written by someone who never saw "
        "`data/nlu/`; never trained on (a test checks there is no overlap). Scored by "
        "`scripts/blind_eval.py` with the model trained on all of `data/nlu`"
        + (f" (`{model}`)" if model else "")
        + ", through the whole pipeline including the FallbackClassifier, as the bot parses "
        "a message. Top-1 counts a description as right when the top intent is a right "
        "`situatie_<code>` (some descriptions list two equally right situations); “ignoring "
        "`nlu_fallback`” takes the best intent under the fallback instead.",
        "",
    ]
    if before is not None:
        lines += [
            "| measure | before | value | target |",
            "|---|--:|--:|---|",
        ]
    else:
        lines += ["| measure | value | target |", "|---|--:|---|"]
    for measure in MEASURES:
        now = measure.value(blind)
        verdict = f"{measure.target_text()} ({'met' if measure.met(now) else '**not met**'})"
        was = f" {measure.text(measure.value(before))} |" if before is not None else ""
        lines.append(f"| {measure.name} |{was} **{measure.text(now)}** | {verdict} |")
    if before is not None:
        source = f" (`{before_name}`)" if before_name else ""
        lines += [
            "",
            f"*before*: an earlier result of `scripts/blind_eval.py MODEL --json`{source}, "
            f"{before.items} descriptions.",
        ]
    lines += [
        "",
        "### Top-1 per situation (blind set)",
        "",
        "| situation | top-1 |",
        "|---|--:|",
        *(
            f"| `{code}` | {_share(blind.per_situation_top1[code])} |"
            for code in _situation_order(list(blind.per_situation_top1))
        ),
        "",
        f"### {CONFUSIONS_SHOWN} most frequent confusions (blind set, right → said)",
        "",
        "“said” is the best intent under `nlu_fallback`; a situation is shown by its code.",
        "",
        "| # | right situation | model said | count |",
        "|--:|---|---|--:|",
        *(
            f"| {n} | `{right}` | `{said}` | {count} |"
            for n, (right, said, count) in enumerate(blind.confusions[:CONFUSIONS_SHOWN], 1)
        ),
        "",
        f"In total {sum(c for _, _, c in blind.confusions)} of {blind.items} descriptions "
        "have a wrong best intent under the fallback.",
    ]
    return lines
