"""NLU quality report: cross-validation, a TF-IDF baseline and the frozen blind set.

Usage (by hand, in the bot environment; about half an hour on 2 cores)::

    .venv-bot/bin/python -m scripts.nlu_report [--keep DIR | --reuse DIR]
                                               [--blind-before FILE] [--out FILE]

Started from the backend environment it hands over to the bot environment. Steps:

1. **Cross-validation.** ``rasa test nlu --cross-validation`` on ``data/nlu`` with
   ``bot/config.yml`` (the whole pipeline, read from the config and listed in the report);
   the report reads ``intent_report.json``, ``intent_errors.json``,
   ``intent_successes.json`` and, when Rasa wrote it, ``response_selection_report.json``
   from its output directory. ``--keep DIR`` keeps that directory; ``--reuse DIR`` skips the
   cross-validation and reads a directory an earlier ``--keep`` run left (this is the way to
   re-render the report without the long run; the blind set and baseline are recomputed).
2. **Blind set.** Trains (or reuses, cached by data hash) the model of all the data with
   ``scripts.train_model.ensure_model()`` and scores ``tests/nlu/blind_eval_c.yml`` with
   ``scripts/blind_eval.py``. ``--blind-before FILE`` (the output of
   ``scripts/blind_eval.py MODEL --json``) adds a "before" column.
3. **Baseline.** TF-IDF on the raw text (word 1-2 grams + char_wb 2-5 grams) + logistic
   regression, with a seeded 5-fold ``StratifiedKFold``.
4. Writes ``docs/nlu-report.md`` and prints the headline figures.

The figures:

* **Cross-validation** (held-out folds): precision, recall and F1 per intent, the macro F1
  over the 19 ``situatie_<code>`` intents (target >= 0.93, and clearly above the baseline)
  and over all intents, accuracy, the most frequent confusions and the confidence of the
  top intent. Rasa's evaluation undoes the FallbackClassifier, so these tables count the top
  intent. Retrieval intents (``faq/<key>``) count as one intent ``faq``: Rasa reads them as
  intent ``faq`` plus an answer key whatever the pipeline, and the intent classifier
  (``TextIntentClassifier``) predicts ``faq``. Which answer is chosen (``FaqSelector``) is
  Rasa's separate response-selection evaluation; its ``response_selection_report.json``
  appears when the test folds hold two or more answers; without it the FAQ section says so.
* **Blind evaluation set**: situation descriptions written by someone who never saw
  ``data/nlu``, parsed by the full model as the bot parses a message, fallback included.
  Top-1 (target >= 0.90), top-1 ignoring ``nlu_fallback`` (>= 0.93), the right situation
  among the 3 situation buttons (>= 0.99), the fallback rate (<= 8 %), top-1 per situation
  and the 15 most frequent confusions.
* **Baseline**: the same examples and folds for a plain scikit-learn model, without the
  pipeline's normalisation, lexicon, two models and guards: what those add.

Not part of the test suite; the pure helpers are tested in
``tests/scripts/test_nlu_report.py``.
"""

from __future__ import annotations

from scripts.nlu_report.blind import (
    BLIND_TITLE,
    MEASURES,
    blind_headline,
    blind_section,
    load_blind_json,
)
from scripts.nlu_report.data import (
    SITUATION_CODES,
    SITUATION_INTENTS,
    Example,
    base_intent,
    conflicting_texts,
    deduplicate,
    drop_rare_intents,
    examples_from_document,
    fallback_threshold,
    load_examples,
    ordered_intents,
    pipeline_names,
    strip_entities,
)
from scripts.nlu_report.metrics import (
    ConfidenceSummary,
    Confusion,
    FaqSummary,
    Metrics,
    Prediction,
    RasaRun,
    ReportData,
    accuracy,
    classification_metrics,
    confidence_summary,
    confusions_from_predictions,
    faq_summary,
    fold_training_times,
    macro_f1,
    metrics_from_rasa_report,
    parse_cv_summary,
    predictions_from_rasa,
    situation_accuracy,
)
from scripts.nlu_report.render import render_markdown
from scripts.nlu_report.running import read_rasa_results

__all__ = [
    "BLIND_TITLE",
    "MEASURES",
    "SITUATION_CODES",
    "SITUATION_INTENTS",
    "ConfidenceSummary",
    "Confusion",
    "Example",
    "FaqSummary",
    "Metrics",
    "Prediction",
    "RasaRun",
    "ReportData",
    "accuracy",
    "base_intent",
    "blind_headline",
    "blind_section",
    "classification_metrics",
    "confidence_summary",
    "conflicting_texts",
    "confusions_from_predictions",
    "deduplicate",
    "drop_rare_intents",
    "examples_from_document",
    "fallback_threshold",
    "faq_summary",
    "fold_training_times",
    "load_blind_json",
    "load_examples",
    "macro_f1",
    "metrics_from_rasa_report",
    "ordered_intents",
    "parse_cv_summary",
    "pipeline_names",
    "predictions_from_rasa",
    "read_rasa_results",
    "render_markdown",
    "situation_accuracy",
    "strip_entities",
]
