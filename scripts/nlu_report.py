"""NLU quality report: Rasa 5-fold cross-validation next to a TF-IDF baseline.

Usage (by hand, in the bot environment, where the backend environment hands over to it;
takes about fifteen minutes on 2 cores):

    .venv-bot/bin/python scripts/nlu_report.py

1. Runs ``rasa test nlu --cross-validation`` on ``data/nlu`` with ``bot/config.yml`` and
   reads ``intent_report.json`` and ``intent_errors.json`` from its output directory.
2. Runs a simple baseline on the same examples (TF-IDF word 1-2 grams + char_wb 2-5 grams,
   logistic regression) with a seeded 5-fold ``StratifiedKFold``.
3. Writes ``docs/nlu-report.md`` and prints the headline figures.

Retrieval intents (``faq/<key>``) count as one intent ``faq``, as Rasa reports them when the
pipeline has no ResponseSelector. Not part of the test suite; the pure helpers are tested in
``tests/actions/test_nlu_report.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.codes import CATEGORIEEN  # noqa: E402 - stdlib-only module, safe in the bot env

BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
NLU_DIR = ROOT / "data" / "nlu"
CONFIG = ROOT / "bot" / "config.yml"
DOMAIN = ROOT / "bot" / "domain"
REPORT = ROOT / "docs" / "nlu-report.md"

FOLDS = 5
SEED = 42
TARGET_MACRO_F1 = 0.90
# "Clearly above the baseline": at least this much macro F1 on the situation intents.
CLEAR_MARGIN = 0.03
# actions/conversation.py: below this confidence the bot does not name the situation but
# offers all 19 as buttons.
CONFIDENT = 0.5

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

# Log lines of `rasa test nlu --cross-validation` that delimit the training of one fold.
TRAIN_START_MARK = "Starting to train component"
TRAIN_END_MARK = "Your Rasa model is trained and saved"


# --------------------------------------------------------------------------- data


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


# ------------------------------------------------------------------------ metrics


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    support: int


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def classification_metrics(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Iterable[str]
) -> dict[str, Metrics]:
    """Per-label precision / recall / F1 / support (zero when undefined, as sklearn)."""
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    true_count = Counter(y_true)
    pred_count = Counter(y_pred)
    hits = Counter(t for t, p in zip(y_true, y_pred, strict=True) if t == p)
    result: dict[str, Metrics] = {}
    for label in labels:
        precision = _ratio(hits[label], pred_count[label])
        recall = _ratio(hits[label], true_count[label])
        f1 = _ratio(2 * precision * recall, precision + recall)
        result[label] = Metrics(precision, recall, f1, true_count[label])
    return result


def metrics_from_rasa_report(report: Mapping[str, Any]) -> dict[str, Metrics]:
    """Per-intent metrics from Rasa's ``intent_report.json`` (averages skipped)."""
    result: dict[str, Metrics] = {}
    for label, entry in report.items():
        if not isinstance(entry, Mapping) or "f1-score" not in entry or " avg" in label:
            continue
        result[base_intent(label)] = Metrics(
            float(entry.get("precision", 0.0)),
            float(entry.get("recall", 0.0)),
            float(entry["f1-score"]),
            int(entry.get("support", 0)),
        )
    return result


def macro_f1(metrics: Mapping[str, Metrics], intents: Iterable[str]) -> float:
    """Unweighted mean F1 over ``intents``; an intent missing from ``metrics`` counts as 0."""
    values = [metrics[i].f1 if i in metrics else 0.0 for i in intents]
    return sum(values) / len(values) if values else 0.0


def accuracy(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    return _ratio(sum(t == p for t, p in zip(y_true, y_pred, strict=True)), len(y_true))


@dataclass(frozen=True)
class Confusion:
    true: str
    predicted: str
    count: int
    example: str  # one misclassified utterance


@dataclass(frozen=True)
class Prediction:
    true: str
    predicted: str
    confidence: float
    text: str


def predictions_from_rasa(records: Iterable[Mapping[str, Any]]) -> list[Prediction]:
    """Test-fold predictions from Rasa's ``intent_errors.json`` / ``intent_successes.json``."""
    result: list[Prediction] = []
    for record in records:
        prediction = record.get("intent_prediction")
        if not isinstance(prediction, Mapping):
            prediction = {}
        result.append(
            Prediction(
                base_intent(str(record.get("intent"))),
                base_intent(str(prediction.get("name"))),
                float(prediction.get("confidence") or 0.0),
                str(record.get("text", "")),
            )
        )
    return result


def confusions_from_predictions(predictions: Iterable[Prediction]) -> list[Confusion]:
    """Count errors per (true, predicted); most frequent first, ties alphabetically."""
    counts: Counter[tuple[str, str]] = Counter()
    first_text: dict[tuple[str, str], str] = {}
    for p in predictions:
        if p.true == p.predicted:
            continue
        key = (p.true, p.predicted)
        counts[key] += 1
        first_text.setdefault(key, p.text)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Confusion(t, p, n, first_text[(t, p)]) for (t, p), n in ordered]


@dataclass(frozen=True)
class ConfidenceSummary:
    total: int
    below_fallback: int  # confidence < FallbackClassifier threshold
    confident: int  # confidence >= CONFIDENT
    confident_correct: int
    median_error_confidence: float


def confidence_summary(
    predictions: Sequence[Prediction], fallback: float, confident: float = CONFIDENT
) -> ConfidenceSummary:
    sure = [p for p in predictions if p.confidence >= confident]
    errors = sorted(p.confidence for p in predictions if p.true != p.predicted)
    median = errors[len(errors) // 2] if errors else 0.0
    return ConfidenceSummary(
        total=len(predictions),
        below_fallback=sum(p.confidence < fallback for p in predictions),
        confident=len(sure),
        confident_correct=sum(p.true == p.predicted for p in sure),
        median_error_confidence=median,
    )


CV_SUMMARY_RE = re.compile(
    r"\b(?P<split>train|test) (?P<metric>Accuracy|F1-score|Precision): "
    r"(?P<mean>[0-9.]+) \((?P<std>[0-9.]+)\)"
)


def parse_cv_summary(lines: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Rasa's closing "train/test Accuracy: 0.991 (0.002)" lines (intents come first)."""
    summary: dict[str, tuple[float, float]] = {}
    for line in lines:
        match = CV_SUMMARY_RE.search(line)
        if match:
            key = f"{match['split']} {match['metric']}"
            summary.setdefault(key, (float(match["mean"]), float(match["std"])))
    return summary


def fold_training_times(events: Iterable[tuple[float, str]]) -> list[float]:
    """Seconds per fold from time-stamped log lines of the cross-validation run.

    A fold's training starts with the first "Starting to train component" line and ends with
    "Your Rasa model is trained and saved".
    """
    times: list[float] = []
    started: float | None = None
    for stamp, line in events:
        if TRAIN_START_MARK in line and started is None:
            started = stamp
        elif TRAIN_END_MARK in line and started is not None:
            times.append(stamp - started)
            started = None
    return times


# ------------------------------------------------------------------------ running


def _rasa_env(cache_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONUNBUFFERED": "1",  # print_success lines must arrive in order with the logs
        "LOG_LEVEL": "INFO",
        # A private cache, so concurrent `rasa train` runs in the checkout are not disturbed.
        "RASA_CACHE_DIRECTORY": str(cache_dir),
    }


@dataclass
class RasaRun:
    fold_seconds: list[float]
    wall_seconds: float
    summary: dict[str, tuple[float, float]]  # "test Accuracy" -> (mean, std over folds)


def run_rasa_cv(out_dir: Path, folds: int) -> RasaRun:
    """Run Rasa's cross-validation into ``out_dir`` (also writes ``run_info.json`` there)."""
    python = BOT_PYTHON if BOT_PYTHON.exists() else Path(sys.executable)
    command = [
        str(python), "-m", "rasa", "test", "nlu",
        "--nlu", str(NLU_DIR.relative_to(ROOT)),
        "--config", str(CONFIG.relative_to(ROOT)),
        "--domain", str(DOMAIN.relative_to(ROOT)),
        "--cross-validation", "--folds", str(folds),
        "--out", str(out_dir),
        "--no-plot",
        "--successes",
    ]  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    events: list[tuple[float, str]] = []
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="nlu-report-cache-") as cache_dir,
        (out_dir / "rasa_cv.log").open("w", encoding="utf-8") as log,
    ):
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_rasa_env(Path(cache_dir)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        assert process.stdout is not None
        for line in process.stdout:
            stamp = time.monotonic() - started
            events.append((stamp, line))
            log.write(f"{stamp:8.1f} {line}")
            if TRAIN_END_MARK in line:
                done = len(fold_training_times(events))
                print(f"  rasa: fold {done}/{folds} trained ({stamp:.0f} s elapsed)", flush=True)
        code = process.wait()
    wall = time.monotonic() - started
    if code != 0:
        tail = "".join(line for _, line in events[-30:])
        raise SystemExit(f"rasa test nlu failed with exit code {code}:\n{tail}")
    run = RasaRun(fold_training_times(events), wall, parse_cv_summary(line for _, line in events))
    (out_dir / "run_info.json").write_text(json.dumps(asdict(run), indent=2), encoding="utf-8")
    return run


def load_rasa_run(out_dir: Path) -> RasaRun:
    info = json.loads((out_dir / "run_info.json").read_text(encoding="utf-8"))
    summary = {key: (float(v[0]), float(v[1])) for key, v in info.get("summary", {}).items()}
    return RasaRun([float(s) for s in info["fold_seconds"]], float(info["wall_seconds"]), summary)


@dataclass
class BaselineResult:
    y_true: list[str]
    y_pred: list[str]
    texts: list[str]
    fit_seconds: list[float]
    wall_seconds: float


def run_baseline(examples: Sequence[Example], folds: int, seed: int) -> BaselineResult:
    """TF-IDF (word 1-2 + char_wb 2-5 grams) + logistic regression, stratified k-fold."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline

    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    predicted: list[str] = [""] * len(texts)
    fit_seconds: list[float] = []
    started = time.monotonic()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        model = Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
                            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
                        ]
                    ),
                ),
                ("clf", LogisticRegression(max_iter=2000)),
            ]
        )
        fit_started = time.monotonic()
        model.fit([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        fit_seconds.append(time.monotonic() - fit_started)
        for i, label in zip(test_idx, model.predict([texts[i] for i in test_idx]), strict=True):
            predicted[i] = str(label)
    return BaselineResult(labels, predicted, texts, fit_seconds, time.monotonic() - started)


# ---------------------------------------------------------------------- rendering

# Situation intents below this F1 count as weak in the interpretation.
WEAK_F1 = 0.85


@dataclass
class ReportData:
    generated: str
    machine: str
    software: str
    folds: int
    seed: int
    files: dict[str, int]  # examples per file
    counts: dict[str, int]  # examples per evaluated intent
    dropped: list[str]
    conflicts: dict[str, list[str]]
    rasa: dict[str, Metrics]
    baseline: dict[str, Metrics]
    rasa_accuracy: float
    baseline_accuracy: float
    confusions: list[Confusion]
    rasa_run: RasaRun
    baseline_fit_seconds: list[float]
    fallback_threshold: float | None = None
    # None when intent_successes.json is missing (then only errors are known).
    situation_confidence: ConfidenceSummary | None = None
    all_confidence: ConfidenceSummary | None = None
    notes: list[str] = field(default_factory=list)
    # Component names of the NLU pipeline, in order.
    pipeline: list[str] = field(default_factory=list)

    @property
    def intents(self) -> list[str]:
        return ordered_intents(self.counts)

    @property
    def situation_intents(self) -> list[str]:
        return list(SITUATION_INTENTS)

    @property
    def other_intents(self) -> list[str]:
        return [i for i in self.intents if i not in SITUATION_INTENTS]

    def headline(self) -> dict[str, float]:
        return {
            "rasa_situation_macro_f1": macro_f1(self.rasa, self.situation_intents),
            "baseline_situation_macro_f1": macro_f1(self.baseline, self.situation_intents),
            "rasa_all_macro_f1": macro_f1(self.rasa, self.intents),
            "baseline_all_macro_f1": macro_f1(self.baseline, self.intents),
            "rasa_accuracy": self.rasa_accuracy,
            "baseline_accuracy": self.baseline_accuracy,
        }


def _f(value: float) -> str:
    return f"{value:.3f}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * _ratio(part, whole):.0f} %"


def _cell(text: str, limit: int = 90) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def intent_table(data: ReportData, intents: Sequence[str]) -> list[str]:
    lines = [
        "| intent | n | Rasa P | Rasa R | Rasa F1 | Rasa support "
        "| base P | base R | base F1 | base support | Δ F1 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    missing = Metrics(0.0, 0.0, 0.0, 0)
    for intent in intents:
        r = data.rasa.get(intent, missing)
        b = data.baseline.get(intent, missing)
        lines.append(
            f"| `{intent}` | {data.counts.get(intent, 0)} "
            f"| {_f(r.precision)} | {_f(r.recall)} | **{_f(r.f1)}** | {r.support} "
            f"| {_f(b.precision)} | {_f(b.recall)} | {_f(b.f1)} | {b.support} "
            f"| {r.f1 - b.f1:+.3f} |"
        )
    return lines


def worst_intents(
    metrics: Mapping[str, Metrics], intents: Iterable[str], n: int = 3
) -> list[tuple[str, float]]:
    scored = [(i, metrics[i].f1 if i in metrics else 0.0) for i in intents]
    return sorted(scored, key=lambda item: (item[1], item[0]))[:n]


def confusions_of(confusions: Iterable[Confusion], intent: str, n: int = 2) -> list[Confusion]:
    """The most frequent errors involving ``intent`` (as true or as predicted label)."""
    return [c for c in confusions if intent in (c.true, c.predicted)][:n]


def _confusion_text(confusions: Iterable[Confusion]) -> str:
    return ", ".join(f"{c.true} → {c.predicted} ×{c.count}" for c in confusions) or "—"


def situation_accuracy(metrics: Mapping[str, Metrics], intents: Iterable[str]) -> float:
    """Share of the utterances of ``intents`` predicted correctly (recall x support)."""
    found = [metrics[i] for i in intents if i in metrics]
    return _ratio(sum(m.recall * m.support for m in found), sum(m.support for m in found))


def interpretation(data: ReportData) -> str:
    """A short paragraph derived from the numbers (so it stays true when re-generated)."""
    h = data.headline()
    rasa_sit, base_sit = h["rasa_situation_macro_f1"], h["baseline_situation_macro_f1"]
    gap = rasa_sit - base_sit
    parts: list[str] = []
    if rasa_sit >= TARGET_MACRO_F1:
        parts.append(
            f"Rasa reaches a macro F1 of {rasa_sit:.3f} on the 19 situation intents and so "
            f"meets the target of {TARGET_MACRO_F1:.2f}."
        )
    else:
        parts.append(
            f"Rasa reaches a macro F1 of {rasa_sit:.3f} on the 19 situation intents, "
            f"{TARGET_MACRO_F1 - rasa_sit:.3f} below the target of {TARGET_MACRO_F1:.2f}."
        )
    if gap >= CLEAR_MARGIN:
        verdict = "clearly above it"
    elif gap > 0:
        verdict = "only marginally above it, within what different fold splits can explain"
    else:
        verdict = "below it"
    parts.append(
        f"The TF-IDF + logistic-regression baseline scores {base_sit:.3f} on the same "
        f"examples, so Rasa is {gap:+.3f}, {verdict}."
    )
    train = data.rasa_run.summary.get("train Accuracy")
    test = data.rasa_run.summary.get("test Accuracy")
    if train and test and train[0] - test[0] >= 0.1:
        if gap < CLEAR_MARGIN:
            parts.append(
                "The intent classifier fits its training folds almost perfectly "
                f"(accuracy {train[0]:.3f}) but "
                f"reaches {test[0]:.3f} ± {test[1]:.3f} on the held-out folds: it memorises the "
                "examples rather than generalising from them."
            )
        else:
            sentence = (
                f"The intent classifier fits its training folds closely (accuracy "
                f"{train[0]:.3f}) and reaches {test[0]:.3f} ± {test[1]:.3f} on the held-out "
                "folds over all intents"
            )
            situations = situation_accuracy(data.rasa, data.situation_intents)
            if situations - test[0] >= 0.03:
                sentence += (
                    f"; on the situation descriptions alone the held-out accuracy is "
                    f"{situations:.3f}, so most of the remaining errors are in the short "
                    "conversation intents"
                )
            parts.append(sentence + ".")
    if gap < 0:
        parts.append(
            "Because a linear model does better on the same sentences, the gap points at the "
            "pipeline configuration more than at the data."
        )
    weak_both = [
        i
        for i in data.situation_intents
        if data.rasa.get(i, Metrics(0, 0, 0, 0)).f1 < WEAK_F1
        and data.baseline.get(i, Metrics(0, 0, 0, 0)).f1 < WEAK_F1
    ]
    if weak_both:
        parts.append(
            f"Intents weak for both models (F1 < {WEAK_F1:.2f}), where the examples themselves "
            "need work: " + ", ".join(f"`{i}`" for i in weak_both) + "."
        )
    worst = worst_intents(data.rasa, data.situation_intents)
    parts.append(
        "The weakest situation intents for Rasa are "
        + ", ".join(
            f"`{i}` ({f1:.3f}: {_confusion_text(confusions_of(data.confusions, i))})"
            for i, f1 in worst
        )
        + "."
    )
    sit = data.situation_confidence
    if sit is not None and sit.total:
        parts.append(
            f"Of the situation descriptions, {_pct(sit.confident, sit.total)} get a top intent "
            f"with confidence ≥ {CONFIDENT:g} (the bot's threshold for naming the situation), "
            f"and that intent is right in {_pct(sit.confident_correct, sit.confident)} of them; "
            "below it the bot offers the 19 situations as buttons."
        )
    everything = data.all_confidence
    if everything is not None and everything.total and data.fallback_threshold is not None:
        parts.append(
            f"{_pct(everything.below_fallback, everything.total)} of all test utterances score "
            f"below the FallbackClassifier threshold of {data.fallback_threshold:g} (Rasa's "
            "evaluation undoes the fallback, so the tables count their top intent)."
        )
    parts.append(
        f"Over all {len(data.intents)} intents the macro F1 is {h['rasa_all_macro_f1']:.3f} "
        f"for Rasa and {h['baseline_all_macro_f1']:.3f} for the baseline."
    )
    return " ".join(parts)


def render_markdown(data: ReportData) -> str:
    h = data.headline()
    total = sum(data.counts.values())
    target_met = "met" if h["rasa_situation_macro_f1"] >= TARGET_MACRO_F1 else "**not met**"
    lines = [
        "# NLU report",
        "",
        "Generated by `scripts/nlu_report.py` (run by hand; not part of the test suite).",
        "",
        f"- Date: {data.generated}",
        f"- Machine: {data.machine}",
        f"- Software: {data.software}",
        f"- Method: Rasa `rasa test nlu --cross-validation --folds {data.folds}` with "
        "`bot/config.yml`"
        + (
            f" (NLU pipeline: {' → '.join(f'`{n}`' for n in data.pipeline)})"
            if data.pipeline
            else ""
        )
        + "; Rasa's own stratified split, unseeded. Baseline TF-IDF "
        "(word 1–2 grams + char_wb 2–5 grams, lowercase) + LogisticRegression(max_iter=2000) "
        f"on a `StratifiedKFold({data.folds}, shuffle=True, random_state={data.seed})` split "
        "of the same examples. Retrieval intents `faq/<key>` count as one intent `faq`.",
        "",
        "## Headline",
        "",
        "| | Rasa | baseline |",
        "|---|--:|--:|",
        f"| macro F1, 19 situation intents | **{_f(h['rasa_situation_macro_f1'])}** "
        f"| {_f(h['baseline_situation_macro_f1'])} |",
        f"| macro F1, all {len(data.intents)} intents | {_f(h['rasa_all_macro_f1'])} "
        f"| {_f(h['baseline_all_macro_f1'])} |",
        f"| accuracy, all {total} examples | {_f(h['rasa_accuracy'])} "
        f"| {_f(h['baseline_accuracy'])} |",
    ]
    for key in ("train Accuracy", "test Accuracy"):
        if key in data.rasa_run.summary:
            mean, std = data.rasa_run.summary[key]
            lines.append(
                f"| Rasa {key.split()[0]} folds: accuracy (mean ± sd) | {mean:.3f} ± {std:.3f} | |"
            )
    lines += [
        "",
        f"Target: Rasa macro F1 ≥ {TARGET_MACRO_F1:.2f} on the situation intents "
        f"({target_met}) and clearly above the baseline "
        f"(Δ {h['rasa_situation_macro_f1'] - h['baseline_situation_macro_f1']:+.3f}).",
        "",
        "## Interpretation",
        "",
        interpretation(data),
        "",
        "## Data",
        "",
        f"{total} unique examples in {len(data.intents)} intents "
        f"({sum(data.counts.get(i, 0) for i in SITUATION_INTENTS)} in the 19 situation "
        "intents). The column *n* in the tables below is the number of examples per intent.",
        "",
        "| file | examples |",
        "|---|--:|",
        *(f"| `data/nlu/{name}` | {count} |" for name, count in data.files.items()),
    ]
    if data.dropped:
        lines += [
            "",
            f"Left out (fewer than {data.folds} examples, as Rasa does): "
            + ", ".join(f"`{i}`" for i in data.dropped)
            + ".",
        ]
    if data.conflicts:
        lines += ["", "Texts that occur under more than one intent:", ""]
        lines += [
            f"- “{_cell(text)}”: " + ", ".join(f"`{i}`" for i in labels)
            for text, labels in data.conflicts.items()
        ]
    lines += [
        "",
        "## Situation intents",
        "",
        *intent_table(data, data.situation_intents),
        "",
        "## Conversation intents",
        "",
        *intent_table(data, data.other_intents),
        "",
        "## Top 10 Rasa confusions (true → predicted)",
        "",
        "| # | true | predicted | count | example |",
        "|--:|---|---|--:|---|",
        *(
            f"| {n} | `{c.true}` | `{c.predicted}` | {c.count} | {_cell(c.example)} |"
            for n, c in enumerate(data.confusions[:10], start=1)
        ),
        "",
        f"In total {sum(c.count for c in data.confusions)} misclassified test utterances.",
        "",
        "## Weakest situation intents (Rasa)",
        "",
        "| intent | Rasa F1 | baseline F1 | most frequent confusions (both directions) |",
        "|---|--:|--:|---|",
    ]
    for intent, f1 in worst_intents(data.rasa, data.situation_intents, n=5):
        base = data.baseline.get(intent, Metrics(0, 0, 0, 0)).f1
        errors = _confusion_text(confusions_of(data.confusions, intent, n=4))
        lines.append(f"| `{intent}` | {_f(f1)} | {_f(base)} | {errors} |")
    sit, everything = data.situation_confidence, data.all_confidence
    if sit is not None and everything is not None:
        threshold = data.fallback_threshold
        lines += [
            "",
            "## Confidence (Rasa, held-out folds)",
            "",
            "| | situation utterances | all utterances |",
            "|---|--:|--:|",
            f"| test utterances | {sit.total} | {everything.total} |",
            f"| top intent with confidence ≥ {CONFIDENT:g} (bot's naming threshold) "
            f"| {_pct(sit.confident, sit.total)} "
            f"| {_pct(everything.confident, everything.total)} |",
            f"| … of which correct | {_pct(sit.confident_correct, sit.confident)} "
            f"| {_pct(everything.confident_correct, everything.confident)} |",
        ]
        if threshold is not None:
            lines.append(
                f"| confidence < {threshold:g} (FallbackClassifier) "
                f"| {_pct(sit.below_fallback, sit.total)} "
                f"| {_pct(everything.below_fallback, everything.total)} |"
            )
        lines.append(
            f"| median confidence of the errors | {sit.median_error_confidence:.2f} "
            f"| {everything.median_error_confidence:.2f} |"
        )
    lines += [
        "",
        "## Training time per fold",
        "",
        "| fold | Rasa training (s) | baseline fit (s) |",
        "|--:|--:|--:|",
    ]
    rasa_seconds = data.rasa_run.fold_seconds
    for index in range(max(len(rasa_seconds), len(data.baseline_fit_seconds))):
        rasa_s = f"{rasa_seconds[index]:.0f}" if index < len(rasa_seconds) else ""
        base_s = (
            f"{data.baseline_fit_seconds[index]:.1f}"
            if index < len(data.baseline_fit_seconds)
            else ""
        )
        lines.append(f"| {index + 1} | {rasa_s} | {base_s} |")
    lines += [
        "",
        "Rasa training time runs from the first component to the saved model; the whole "
        "cross-validation (training, evaluation on train and test folds) took "
        f"{data.rasa_run.wall_seconds / 60:.1f} min.",
    ]
    if data.notes:
        lines += ["", "## Notes", "", *(f"- {note}" for note in data.notes)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- machinery


def machine_description() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cpus} CPUs (nproc), {model}, {platform.system()} {platform.release()}"


def software_description() -> str:
    versions = []
    for package in ("rasa", "scikit-learn", "tensorflow"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"Python {platform.python_version()}, "
        + ", ".join(versions)
        + (f", git {commit}" if commit else "")
    )


def fallback_threshold(config_path: Path) -> float | None:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    for component in config.get("pipeline") or []:
        if isinstance(component, Mapping) and component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return None


def pipeline_names(config_path: Path) -> list[str]:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    return [
        str(component["name"])
        for component in config.get("pipeline") or []
        if isinstance(component, Mapping) and component.get("name")
    ]


def _read_json_list(path: Path) -> list[Any]:
    if not path.exists():
        return []
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, list) else []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--out", type=Path, default=REPORT, help="markdown file to write")
    parser.add_argument(
        "--keep", type=Path, help="write Rasa's raw results to this directory and keep them"
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        help="skip the Rasa run and read the results a previous --keep run left here",
    )
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401 - the baseline needs it; check before the long Rasa run
    except ImportError:
        if BOT_PYTHON.exists() and Path(sys.executable) != BOT_PYTHON:
            # Started from the backend environment: run again in the bot environment.
            rest = list(argv) if argv is not None else sys.argv[1:]
            os.execv(BOT_PYTHON, [str(BOT_PYTHON), __file__, *rest])  # noqa: S606 - fixed path
        raise SystemExit(
            "scikit-learn is missing: run this script in the bot environment"
        ) from None

    all_examples = load_examples(NLU_DIR)
    examples, dropped = drop_rare_intents(all_examples, args.folds)
    files = Counter(e.source for e in examples)
    counts = Counter(e.label for e in examples)
    notes: list[str] = []
    missing = [i for i in SITUATION_INTENTS if i not in counts]
    if missing:
        notes.append("Situation intents without data (F1 counted as 0): " + ", ".join(missing))
    print(f"{len(examples)} examples, {len(counts)} intents, {args.folds} folds", flush=True)

    temp_dir: Path | None = None
    if args.reuse:
        results = args.reuse
        rasa_run = load_rasa_run(results)
        notes.append(
            "Rasa results re-used from an earlier run of this script (`--reuse`); the baseline "
            "and this document were re-computed."
        )
    else:
        if args.keep:
            results = args.keep
        else:
            temp_dir = Path(tempfile.mkdtemp(prefix="nlu-report-"))
            results = temp_dir / "results"
        print("Rasa cross-validation (about 15 minutes on 2 cores) ...", flush=True)
        rasa_run = run_rasa_cv(results, args.folds)
    try:
        report = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
        errors = predictions_from_rasa(_read_json_list(results / "intent_errors.json"))
        successes = predictions_from_rasa(_read_json_list(results / "intent_successes.json"))
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)

    rasa = metrics_from_rasa_report(report)
    rasa_total = sum(m.support for m in rasa.values())
    if rasa_total != len(examples):
        notes.append(
            f"Rasa evaluated {rasa_total} examples, this script read {len(examples)}: the data "
            "changed during the run or the two readers of data/nlu disagree."
        )
    confusions = confusions_from_predictions(errors)
    rasa_accuracy = float(report.get("accuracy", _ratio(rasa_total - len(errors), rasa_total)))
    threshold = fallback_threshold(CONFIG)
    situation_confidence = all_confidence = None
    if successes:
        predictions = successes + errors
        situations = [p for p in predictions if p.true in SITUATION_INTENTS]
        all_confidence = confidence_summary(predictions, threshold or 0.0)
        situation_confidence = confidence_summary(situations, threshold or 0.0)

    print("Baseline (TF-IDF + logistic regression) ...", flush=True)
    baseline = run_baseline(examples, args.folds, SEED)
    labels = ordered_intents(counts)

    data = ReportData(
        generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        machine=machine_description(),
        software=software_description(),
        folds=args.folds,
        seed=SEED,
        files=dict(sorted(files.items())),
        counts=dict(counts),
        dropped=dropped,
        conflicts=conflicting_texts(examples),
        rasa=rasa,
        baseline=classification_metrics(baseline.y_true, baseline.y_pred, labels),
        rasa_accuracy=rasa_accuracy,
        baseline_accuracy=accuracy(baseline.y_true, baseline.y_pred),
        confusions=confusions,
        rasa_run=rasa_run,
        baseline_fit_seconds=baseline.fit_seconds,
        fallback_threshold=threshold,
        situation_confidence=situation_confidence,
        all_confidence=all_confidence,
        notes=notes,
        pipeline=pipeline_names(CONFIG),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_markdown(data), encoding="utf-8")

    h = data.headline()
    met = "met" if h["rasa_situation_macro_f1"] >= TARGET_MACRO_F1 else "NOT met"
    print(
        f"macro F1 situation intents: Rasa {h['rasa_situation_macro_f1']:.3f}, "
        f"baseline {h['baseline_situation_macro_f1']:.3f} (target {TARGET_MACRO_F1:.2f}: {met})"
    )
    print(
        f"macro F1 all {len(data.intents)} intents: Rasa {h['rasa_all_macro_f1']:.3f}, "
        f"baseline {h['baseline_all_macro_f1']:.3f}"
    )
    print(f"accuracy: Rasa {h['rasa_accuracy']:.3f}, baseline {h['baseline_accuracy']:.3f}")
    for key, (mean, std) in rasa_run.summary.items():
        if key.endswith("Accuracy"):
            print(f"Rasa {key} over folds: {mean:.3f} ± {std:.3f}")
    print("worst situation intents (Rasa F1):")
    for intent, f1 in worst_intents(data.rasa, data.situation_intents, n=5):
        print(f"  {intent}: {f1:.3f}  {_confusion_text(confusions_of(confusions, intent, 3))}")
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
