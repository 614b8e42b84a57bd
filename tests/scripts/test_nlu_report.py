"""Pure helpers of scripts/nlu_report/ (no training; the report itself is run by hand)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from scripts.blind_eval import BlindResult
from scripts.nlu_report import (
    BLIND_TITLE,
    SITUATION_INTENTS,
    ConfidenceSummary,
    Confusion,
    Example,
    FaqSummary,
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
    fallback_threshold,
    faq_summary,
    fold_training_times,
    load_blind_json,
    macro_f1,
    metrics_from_rasa_report,
    ordered_intents,
    parse_cv_summary,
    pipeline_names,
    predictions_from_rasa,
    read_rasa_results,
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
        "| top intent with confidence ≥ 0.4 (bot's naming threshold) | 80 % | 80 % |",
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
    assert "below the target of 0.93" in text
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


def test_pipeline_names_and_fallback_threshold_of_the_real_config() -> None:
    config = Path(__file__).resolve().parents[2] / "bot" / "config.yml"
    names = pipeline_names(config)
    assert "bot.text_intent_classifier.TextIntentClassifier" in names
    assert "bot.faq_selector.FaqSelector" in names
    assert not any("ResponseSelector" in n or "CountVectors" in n for n in names)
    assert names.index("FallbackClassifier") > names.index("bot.faq_selector.FaqSelector")
    assert fallback_threshold(config) == 0.4


RESPONSE_REPORT = {
    "faq/openingstijden": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 6},
    "faq/wat_doet_vik": {"precision": 0.5, "recall": 0.75, "f1-score": 0.6, "support": 4},
    "faq/nooit_gezien": {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0},
    "accuracy": 0.9,
    "macro avg": {"precision": 0.75, "recall": 0.875, "f1-score": 0.8, "support": 10},
}


def test_faq_summary_reads_the_response_selection_report() -> None:
    weakest = [("faq/wat_doet_vik", 0.6), ("faq/openingstijden", 1.0)]
    assert faq_summary(RESPONSE_REPORT) == FaqSummary(2, 10, 0.9, pytest.approx(0.8), weakest)
    # Without "accuracy" (sklearn's "micro avg" case): recall weighted by support.
    micro = faq_summary({k: v for k, v in RESPONSE_REPORT.items() if k != "accuracy"})
    assert micro is not None and micro.accuracy == pytest.approx((6 + 3) / 10)
    assert faq_summary({"accuracy": 1.0}) is None


@pytest.mark.parametrize("with_responses", [True, False])
def test_rasa_results_with_and_without_response_selection_and_blind_set(
    tmp_path: Path, with_responses: bool
) -> None:
    (tmp_path / "intent_report.json").write_text(json.dumps({"greet": {"f1-score": 1.0}}))
    (tmp_path / "intent_errors.json").write_text("[]")
    if with_responses:
        (tmp_path / "response_selection_report.json").write_text(json.dumps(RESPONSE_REPORT))
    found = read_rasa_results(tmp_path)
    assert found.errors == [] and found.successes == []
    assert (found.response_report is not None) is with_responses
    data = _report_data(0.95)
    data.faq = faq_summary(found.response_report) if found.response_report else None
    text = render_markdown(data)
    # Without a blind result the report says so.
    assert "the blind evaluation set was not scored for this report" in text.split("\n\n")[1]
    assert f"## {BLIND_TITLE}\n\nNot scored for this report." in text
    faq_section = text.split("## FAQ answers (held-out folds)")[1].split("## ")[0]
    if with_responses:
        assert "of `faq/<key>`, the chosen answer is right in 0.900" in faq_section
        assert "`faq/wat_doet_vik` (0.600)" in faq_section
    else:
        assert "Rasa wrote no `response_selection_report.json`" in faq_section


def _blind(top1: float = 0.912, fallback: float = 0.071) -> BlindResult:
    return BlindResult(
        items=532,
        top1=top1,
        top1_without_fallback=0.94,
        top3_situations=0.985,
        fallback_rate=fallback,
        per_situation_top1={"pesten": 0.96, "uitsluiting": 0.8, "racisme": 1.0},
        confusions=[(f"code{i:02d}", "x" if i % 2 else "inform", 20 - i) for i in range(18)],
    )


def _lines_of(text: str, start: str, end: str) -> list[str]:
    return text.split(start, 1)[1].split(end, 1)[0].strip().splitlines()


def test_blind_section_renders_measures_situations_and_confusions() -> None:
    data = _report_data(0.95)
    data.blind, data.blind_model = _blind(), "meldwijzer-abc.tar.gz"
    text = render_markdown(data)
    first_paragraph = text.split("\n\n")[1]
    assert first_paragraph == (
        "In 5-fold cross-validation the macro F1 over the 19 situation intents is **0.950** "
        "(target ≥ 0.93); on the blind evaluation set of 532 descriptions the top-1 situation "
        "is right in **0.912** (target ≥ 0.90) and **7.1 %** get the fallback (target ≤ 8 %)."
    )
    section = text.split(f"## {BLIND_TITLE}")[1].split("## Data")[0]
    assert "`meldwijzer-abc.tar.gz`" in section
    table = [line for line in section.splitlines() if line.startswith("| ")]
    assert table[:5] == [
        "| measure | value | target |",
        "| top-1 right situation | **0.912** | ≥ 0.90 (met) |",
        "| top-1 ignoring `nlu_fallback` | **0.940** | ≥ 0.93 (met) |",
        "| right situation among the 3 situation buttons | **0.985** | ≥ 0.99 (**not met**) |",
        "| fallback (“which of these?”) | **7.1 %** | ≤ 8 % (met) |",
    ]
    # Per situation: contract order (uitsluiting, racisme, pesten).
    per_situation = _lines_of(section, "### Top-1 per situation (blind set)", "###")
    rows = ["| `uitsluiting` | 0.800 |", "| `racisme` | 1.000 |", "| `pesten` | 0.960 |"]
    assert per_situation == ["| situation | top-1 |", "|---|--:|", *rows]
    confusions = _lines_of(section, "### 15 most frequent confusions", "In total")[6:]
    assert len(confusions) == 15
    assert confusions[0] == "| 1 | `code00` | `inform` | 20 |"
    assert confusions[14] == "| 15 | `code14` | `inform` | 6 |"
    assert f"In total {sum(range(3, 21))} of 532 descriptions" in section


def test_blind_section_with_a_before_column(tmp_path: Path) -> None:
    before_file = tmp_path / "before.json"
    # The format `scripts/blind_eval.py MODEL --json` prints.
    before_file.write_text(json.dumps(asdict(_blind(top1=0.85, fallback=0.12)), indent=1))
    before = load_blind_json(before_file)
    assert before == _blind(top1=0.85, fallback=0.12)
    data = _report_data(0.95)
    data.blind, data.blind_before, data.blind_before_name = _blind(), before, "before.json"
    section = render_markdown(data).split(f"## {BLIND_TITLE}")[1].split("### ")[0]
    table = [line for line in section.splitlines() if line.startswith("| ")]
    assert table == [
        "| measure | before | value | target |",
        "| top-1 right situation | 0.850 | **0.912** | ≥ 0.90 (met) |",
        "| top-1 ignoring `nlu_fallback` | 0.940 | **0.940** | ≥ 0.93 (met) |",
        "| right situation among the 3 situation buttons | 0.985 | **0.985** "
        "| ≥ 0.99 (**not met**) |",
        "| fallback (“which of these?”) | 12.0 % | **7.1 %** | ≤ 8 % (met) |",
    ]
    assert "(`before.json`)" in section
