"""Pure helpers of scripts/nlu_report.py (no training; the script itself is run by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scripts.nlu_report import (
    SITUATION_INTENTS,
    ConfidenceSummary,
    Confusion,
    Example,
    Metrics,
    Prediction,
    RasaRun,
    ReportData,
    classification_metrics,
    confidence_summary,
    conflicting_texts,
    confusions_from_predictions,
    deduplicate,
    drop_rare_intents,
    examples_from_document,
    fold_training_times,
    macro_f1,
    metrics_from_rasa_report,
    ordered_intents,
    parse_cv_summary,
    pipeline_names,
    predictions_from_rasa,
    render_markdown,
    situation_accuracy,
    strip_entities,
)

NLU_YAML = """
version: "3.1"
nlu:
- intent: situatie_pesten
  examples: |
    - ze lachen me uit op de [PA]{"entity": "eenheid", "value": "politieacademie"}
    - ik word gepest in [Rotterdam](eenheid)
    -   ik word gepest in [Limburg](eenheid:limburg)
    not an example line
- intent: faq/wat_doet_vik
  examples:
  - text: 'wat doet de [VIK][{"entity": "loket"}, {"entity": "x"}]'
  - text: ""
- synonym: noord-nederland
  examples: |
    - nn
- lookup: eenheid
  examples: |
    - amsterdam
"""


def test_strip_entities_handles_all_annotation_forms() -> None:
    assert strip_entities('op de [PA]{"entity": "eenheid"} en [Rotterdam](eenheid)') == (
        "op de PA en Rotterdam"
    )
    assert strip_entities("in [Limburg](eenheid:limburg)") == "in Limburg"
    assert strip_entities('[VIK][{"entity": "a"}, {"entity": "b"}]') == "VIK"
    assert strip_entities("geen [haakjes] zonder annotatie") == "geen [haakjes] zonder annotatie"


def test_examples_from_document_reads_intents_only_and_cleans_text() -> None:
    examples = examples_from_document(yaml.safe_load(NLU_YAML), "x.yml")
    assert [(e.text, e.intent, e.label) for e in examples] == [
        ("ze lachen me uit op de PA", "situatie_pesten", "situatie_pesten"),
        ("ik word gepest in Rotterdam", "situatie_pesten", "situatie_pesten"),
        ("ik word gepest in Limburg", "situatie_pesten", "situatie_pesten"),
        ("wat doet de VIK", "faq/wat_doet_vik", "faq"),
    ]
    assert examples_from_document(None, "empty.yml") == []


def test_deduplicate_drop_rare_and_conflicts() -> None:
    data = [
        Example("a", "greet", "f"),
        Example("a", "greet", "f"),
        Example("A", "faq/x", "f"),
        Example("b", "faq/y", "f"),
    ]
    unique = deduplicate(data)
    assert len(unique) == 3
    kept, dropped = drop_rare_intents(unique, 2)
    assert dropped == ["greet"]
    assert {e.label for e in kept} == {"faq"}
    assert conflicting_texts(unique) == {"a": ["faq", "greet"]}


def test_classification_metrics_match_hand_computation() -> None:
    y_true = ["a", "a", "a", "b", "b", "c"]
    y_pred = ["a", "a", "b", "b", "nlu_fallback", "a"]
    metrics = classification_metrics(y_true, y_pred, ["a", "b", "c"])
    assert metrics["a"].precision == pytest.approx(2 / 3)
    assert metrics["a"].recall == pytest.approx(2 / 3)
    assert metrics["b"] == Metrics(0.5, 0.5, 0.5, 2)
    assert metrics["c"] == Metrics(0.0, 0.0, 0.0, 1)
    assert macro_f1(metrics, ["a", "b", "c"]) == pytest.approx((2 / 3 + 0.5) / 3)
    assert macro_f1(metrics, ["a", "missing"]) == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        classification_metrics(["a"], [], ["a"])


def test_rasa_report_and_errors_are_read() -> None:
    report = {
        "greet": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 4},
        "faq": {"precision": 0.9, "recall": 1.0, "f1-score": 0.947, "support": 9},
        "accuracy": 0.9,
        "macro avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.9, "support": 13},
        "weighted avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.9, "support": 13},
    }
    metrics = metrics_from_rasa_report(report)
    assert set(metrics) == {"greet", "faq"}
    assert metrics["greet"] == Metrics(1.0, 0.5, 0.667, 4)

    records = [
        {"text": "hoi", "intent": "greet", "intent_prediction": {"name": "faq", "confidence": 0.9}},
        {"text": "hey", "intent": "greet", "intent_prediction": {"name": "faq", "confidence": 0.2}},
        {"text": "hm", "intent": "greet", "intent_prediction": {"name": "affirm"}},
        {"text": "x", "intent": "faq/a", "intent_prediction": {"name": "faq/b", "confidence": 1}},
    ]
    predictions = predictions_from_rasa(records)
    assert predictions[0] == Prediction("greet", "faq", 0.9, "hoi")
    assert predictions[2].confidence == 0.0
    assert predictions[3] == Prediction("faq", "faq", 1.0, "x")
    assert confusions_from_predictions(predictions) == [
        Confusion("greet", "faq", 2, "hoi"),
        Confusion("greet", "affirm", 1, "hm"),
    ]
    summary = confidence_summary(predictions, fallback=0.3, confident=0.5)
    assert summary == ConfidenceSummary(
        total=4, below_fallback=2, confident=2, confident_correct=1, median_error_confidence=0.2
    )


def test_parse_cv_summary_reads_the_intent_lines_first() -> None:
    log = [
        "2026-01-01 10:00:00 INFO     rasa.nlu.test  - train Accuracy: 0.991 (0.002)",
        "2026-01-01 10:00:00 INFO     rasa.nlu.test  - test Accuracy: 0.775 (0.012)",
        "2026-01-01 10:00:00 INFO     rasa.nlu.test  - test F1-score: 0.765 (0.011)",
        "2026-01-01 10:00:00 INFO     rasa.nlu.test  - test Accuracy: 0.5 (0.1)",  # later block
        "unrelated line",
    ]
    assert parse_cv_summary(log) == {
        "train Accuracy": (0.991, 0.002),
        "test Accuracy": (0.775, 0.012),
        "test F1-score": (0.765, 0.011),
    }


def test_fold_training_times_pair_start_and_end_lines() -> None:
    events = [
        (1.0, "INFO Starting to train component 'WhitespaceTokenizer'."),
        (2.0, "INFO Starting to train component 'DIETClassifier'."),
        (31.0, "Your Rasa model is trained and saved at '/tmp/x.tar.gz'."),
        (40.0, "evaluating ..."),
        (41.0, "INFO Starting to train component 'WhitespaceTokenizer'."),
        (61.5, "Your Rasa model is trained and saved at '/tmp/y.tar.gz'."),
        (70.0, "INFO Starting to train component 'WhitespaceTokenizer'."),
    ]
    assert fold_training_times(events) == [30.0, 20.5]


def test_ordered_intents_puts_situations_first() -> None:
    assert ordered_intents(["greet", "situatie_racisme", "faq", "situatie_uitsluiting"]) == [
        "situatie_uitsluiting",
        "situatie_racisme",
        "faq",
        "greet",
    ]


def _report_data(rasa_f1: float) -> ReportData:
    intents = [*SITUATION_INTENTS, "greet", "faq"]
    counts = dict.fromkeys(intents, 10)
    return ReportData(
        generated="2025-01-01 12:00 CET",
        machine="2 CPUs (nproc), Test CPU",
        software="Python 3.10",
        folds=5,
        seed=42,
        files={"situaties.yml": 190, "gesprek.yml": 20},
        counts=counts,
        dropped=["rare_intent"],
        conflicts={"ja": ["affirm", "greet"]},
        rasa={i: Metrics(rasa_f1, rasa_f1, rasa_f1, 10) for i in intents},
        baseline={i: Metrics(0.8, 0.8, 0.8, 10) for i in intents},
        rasa_accuracy=rasa_f1,
        baseline_accuracy=0.8,
        confusions=[
            Confusion("situatie_pesten", "situatie_intimidatie", 3, "ze | schreeuwen"),
            Confusion("greet", "nlu_fallback", 1, "hm"),
        ],
        rasa_run=RasaRun(
            fold_seconds=[100.0, 101.0, 99.0, 100.0, 102.0],
            wall_seconds=600.0,
            summary={"train Accuracy": (0.99, 0.002), "test Accuracy": (rasa_f1, 0.01)},
        ),
        baseline_fit_seconds=[1.0, 1.1, 1.2, 1.0, 1.0],
        fallback_threshold=0.3,
        situation_confidence=ConfidenceSummary(190, 19, 152, 144, 0.4),
        all_confidence=ConfidenceSummary(210, 21, 168, 160, 0.4),
    )


def test_render_markdown_contains_all_sections() -> None:
    text = render_markdown(_report_data(0.95))
    for needle in (
        "# NLU report",
        "2 CPUs (nproc), Test CPU",
        "| macro F1, 19 situation intents | **0.950** | 0.800 |",
        "| macro F1, all 21 intents | 0.950 | 0.800 |",
        "## Situation intents",
        "## Conversation intents",
        "| `situatie_uitsluiting` | 10 | 0.950 | 0.950 | **0.950** | 10 ",
        "| 1 | `situatie_pesten` | `situatie_intimidatie` | 3 | ze \\| schreeuwen |",
        "| 5 | 102 | 1.0 |",
        "`rare_intent`",
        "meets the target",
        "clearly above it",
        "| Rasa test folds: accuracy (mean ± sd) | 0.950 ± 0.010 | |",
        "| top intent with confidence ≥ 0.5 (bot's naming threshold) | 80 % | 80 % |",
        "| … of which correct | 95 % | 95 % |",
        "| confidence < 0.3 (FallbackClassifier) | 10 % | 10 % |",
        "## Weakest situation intents (Rasa)",
    ):
        assert needle in text, needle
    # Situation table: header, separator and one row per situation intent.
    section = text.split("## Situation intents")[1].split("## Conversation intents")[0]
    assert sum(line.startswith("| `situatie_") for line in section.splitlines()) == 19


def test_interpretation_follows_the_numbers() -> None:
    text = render_markdown(_report_data(0.81))
    assert "below the target of 0.90" in text
    assert "only marginally above it" in text
    assert "**not met**" in text
    assert "memorises the examples" in text  # train 0.99 vs test 0.81


def test_interpretation_when_clearly_above_the_baseline() -> None:
    data = _report_data(0.85)  # baseline 0.80; train accuracy 0.99, test 0.85
    text = render_markdown(data)
    assert "clearly above it" in text
    assert "memorises the examples" not in text
    assert "fits its training folds closely (accuracy 0.990)" in text
    assert "pipeline configuration" not in text
    assert "NLU pipeline" not in text
    data.pipeline = ["WhitespaceTokenizer", "bot.text_intent_classifier.TextIntentClassifier"]
    assert (
        "(NLU pipeline: `WhitespaceTokenizer` → `bot.text_intent_classifier.TextIntentClassifier`)"
        in render_markdown(data)
    )


def test_situation_accuracy_weights_recall_by_support() -> None:
    metrics = {"a": Metrics(1.0, 0.5, 0.6, 10), "b": Metrics(1.0, 1.0, 1.0, 30)}
    assert situation_accuracy(metrics, ["a", "b", "missing"]) == pytest.approx(35 / 40)


def test_pipeline_names_reads_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: A\n  - name: B\n    x: 1\npolicies: []\n")
    assert pipeline_names(config) == ["A", "B"]
