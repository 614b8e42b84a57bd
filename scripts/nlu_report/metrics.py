"""Pure figures: per-label metrics, Rasa's report files and log lines, and ReportData."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scripts.blind_eval import BlindResult
from scripts.nlu_report.data import CONFIDENT, SITUATION_INTENTS, base_intent, ordered_intents

# Log lines of `rasa test nlu --cross-validation` that delimit the training of one fold.
TRAIN_START_MARK = "Starting to train component"
TRAIN_END_MARK = "Your Rasa model is trained and saved"


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    support: int


def ratio(numerator: float, denominator: float) -> float:
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
        precision = ratio(hits[label], pred_count[label])
        recall = ratio(hits[label], true_count[label])
        f1 = ratio(2 * precision * recall, precision + recall)
        result[label] = Metrics(precision, recall, f1, true_count[label])
    return result


def _report_metrics(report: Mapping[str, Any], key: Callable[[str], str]) -> dict[str, Metrics]:
    result: dict[str, Metrics] = {}
    for label, entry in report.items():
        if not isinstance(entry, Mapping) or "f1-score" not in entry or " avg" in label:
            continue
        result[key(label)] = Metrics(
            float(entry.get("precision", 0.0)),
            float(entry.get("recall", 0.0)),
            float(entry["f1-score"]),
            int(entry.get("support", 0)),
        )
    return result


def metrics_from_rasa_report(report: Mapping[str, Any]) -> dict[str, Metrics]:
    """Per-intent metrics from Rasa's ``intent_report.json`` (averages skipped)."""
    return _report_metrics(report, base_intent)


def macro_f1(metrics: Mapping[str, Metrics], intents: Iterable[str]) -> float:
    """Unweighted mean F1 over ``intents``; an intent missing from ``metrics`` counts as 0."""
    values = [metrics[i].f1 if i in metrics else 0.0 for i in intents]
    return sum(values) / len(values) if values else 0.0


def accuracy(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    return ratio(sum(t == p for t, p in zip(y_true, y_pred, strict=True)), len(y_true))


def situation_accuracy(metrics: Mapping[str, Metrics], intents: Iterable[str]) -> float:
    """Share of the utterances of ``intents`` predicted correctly (recall x support)."""
    found = [metrics[i] for i in intents if i in metrics]
    return ratio(sum(m.recall * m.support for m in found), sum(m.support for m in found))


@dataclass(frozen=True)
class FaqSummary:
    """The answer choice inside ``faq`` (FaqSelector), from ``response_selection_report.json``."""

    answers: int  # distinct faq/<key> labels with test utterances
    support: int
    accuracy: float
    macro_f1: float
    weakest: list[tuple[str, float]]  # (faq/<key>, F1), lowest first


def faq_summary(report: Mapping[str, Any], n: int = 5) -> FaqSummary | None:
    """Summary of Rasa's response-selection report; None when it holds no answers."""
    metrics = {k: m for k, m in _report_metrics(report, str).items() if m.support}
    if not metrics:
        return None
    support = sum(m.support for m in metrics.values())
    if isinstance(report.get("accuracy"), int | float):
        share = float(report["accuracy"])
    else:  # sklearn reports "micro avg" instead when not every label was predicted
        share = ratio(sum(m.recall * m.support for m in metrics.values()), support)
    weakest = sorted(((k, m.f1) for k, m in metrics.items()), key=lambda kv: (kv[1], kv[0]))
    return FaqSummary(len(metrics), support, share, macro_f1(metrics, metrics), weakest[:n])


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


@dataclass
class RasaRun:
    fold_seconds: list[float]
    wall_seconds: float
    summary: dict[str, tuple[float, float]]  # "test Accuracy" -> (mean, std over folds)


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
    # Rasa's response-selection figures for the answers inside `faq` (FaqSelector); None
    # when Rasa wrote no response_selection_report.json.
    faq: FaqSummary | None = None
    # The blind evaluation set scored with the full model; None when not scored.
    blind: BlindResult | None = None
    blind_model: str = ""  # file name of that model
    blind_before: BlindResult | None = None  # --blind-before: an earlier result
    blind_before_name: str = ""

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
