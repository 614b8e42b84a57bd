"""``python -m scripts.nlu_report``: run everything and write docs/nlu-report.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import scripts.nlu_report as package
from scripts.blind_eval import BLIND_SET, BlindResult, summary_lines
from scripts.nlu_report.blind import load_blind_json, score_blind_set
from scripts.nlu_report.data import (
    BOT_PYTHON,
    CONFIG,
    FOLDS,
    NLU_DIR,
    REPORT,
    ROOT,
    SEED,
    SITUATION_INTENTS,
    TARGET_MACRO_F1,
    conflicting_texts,
    drop_rare_intents,
    fallback_threshold,
    load_examples,
    ordered_intents,
    pipeline_names,
)
from scripts.nlu_report.metrics import (
    ReportData,
    accuracy,
    classification_metrics,
    confidence_summary,
    confusions_from_predictions,
    faq_summary,
    metrics_from_rasa_report,
    predictions_from_rasa,
    ratio,
)
from scripts.nlu_report.render import (
    confusion_text,
    confusions_of,
    render_markdown,
    worst_intents,
)
from scripts.nlu_report.running import (
    load_rasa_run,
    machine_description,
    read_rasa_results,
    run_baseline,
    run_rasa_cv,
    software_description,
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    doc = package.__doc__ or ""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.nlu_report",
        description=doc.splitlines()[0],
    )
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--out", type=Path, default=REPORT, help="markdown file to write")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="write Rasa's raw results to this directory and keep them",
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        type=Path,
        help="skip the Rasa run and read the results a previous --keep run left here",
    )
    parser.add_argument(
        "--blind-before",
        type=Path,
        metavar="FILE",
        help="JSON of an earlier `scripts/blind_eval.py MODEL --json`, shown as a 'before' "
        "column in the blind-set table",
    )
    return parser.parse_args(argv)


def ensure_bot_environment(argv: Sequence[str] | None) -> None:
    """The baseline needs scikit-learn and the blind set Rasa: both only in the bot env."""
    try:
        import rasa  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        if BOT_PYTHON.exists() and Path(sys.executable) != BOT_PYTHON:
            # Started from the backend environment: run again in the bot environment.
            rest = list(argv) if argv is not None else sys.argv[1:]
            path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
            env = {**os.environ, "PYTHONPATH": path}
            command = [str(BOT_PYTHON), "-m", "scripts.nlu_report", *rest]
            os.execve(BOT_PYTHON, command, env)  # noqa: S606 - fixed path
        raise SystemExit(
            "scikit-learn or rasa is missing: run this in the bot environment "
            "(.venv-bot/bin/python -m scripts.nlu_report)"
        ) from None


def collect(args: argparse.Namespace) -> ReportData:
    """Run (or reuse) Rasa's cross-validation, score the blind set, run the baseline."""
    if args.blind_before is not None and not args.blind_before.is_file():
        raise SystemExit(f"--blind-before: no file {args.blind_before}")
    before = load_blind_json(args.blind_before) if args.blind_before else None  # fail early
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
            "Rasa results re-used from an earlier run of this script (`--reuse`); the baseline, "
            "the blind set and this document were re-computed."
        )
    else:
        if args.keep:
            results = args.keep
        else:
            temp_dir = Path(tempfile.mkdtemp(prefix="nlu-report-"))
            results = temp_dir / "results"
        print("Rasa cross-validation (about 25 minutes on 2 cores) ...", flush=True)
        rasa_run = run_rasa_cv(results, args.folds)
    try:
        found = read_rasa_results(results)
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)

    rasa = metrics_from_rasa_report(found.intent_report)
    rasa_total = sum(m.support for m in rasa.values())
    if rasa_total != len(examples):
        notes.append(
            f"Rasa evaluated {rasa_total} examples, this script read {len(examples)}: the data "
            "changed during the run or the two readers of data/nlu disagree."
        )
    errors = predictions_from_rasa(found.errors)
    successes = predictions_from_rasa(found.successes)
    rasa_accuracy = float(
        found.intent_report.get("accuracy", ratio(rasa_total - len(errors), rasa_total))
    )
    threshold = fallback_threshold(CONFIG)
    situation_confidence = all_confidence = None
    if successes:
        predictions = successes + errors
        situations = [p for p in predictions if p.true in SITUATION_INTENTS]
        all_confidence = confidence_summary(predictions, threshold or 0.0)
        situation_confidence = confidence_summary(situations, threshold or 0.0)

    model = ""
    blind: BlindResult | None = None
    if BLIND_SET.exists():
        print("Blind evaluation set: training (or reusing) the full model ...", flush=True)
        model_path, blind = score_blind_set()
        model = model_path.name
    else:
        notes.append(f"No blind evaluation set at `{BLIND_SET.relative_to(ROOT)}`.")

    print("Baseline (TF-IDF + logistic regression) ...", flush=True)
    baseline = run_baseline(examples, args.folds, SEED)
    labels = ordered_intents(counts)
    return ReportData(
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
        confusions=confusions_from_predictions(errors),
        rasa_run=rasa_run,
        baseline_fit_seconds=baseline.fit_seconds,
        fallback_threshold=threshold,
        situation_confidence=situation_confidence,
        all_confidence=all_confidence,
        notes=notes,
        pipeline=pipeline_names(CONFIG),
        faq=faq_summary(found.response_report) if found.response_report is not None else None,
        blind=blind,
        blind_model=model,
        blind_before=before,
        blind_before_name=args.blind_before.name if args.blind_before else "",
    )


def print_headline(data: ReportData) -> None:
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
    for key, (mean, std) in data.rasa_run.summary.items():
        if key.endswith("Accuracy"):
            print(f"Rasa {key} over folds: {mean:.3f} ± {std:.3f}")
    print("worst situation intents (Rasa F1):")
    for intent, f1 in worst_intents(data.rasa, data.situation_intents, n=5):
        print(f"  {intent}: {f1:.3f}  {confusion_text(confusions_of(data.confusions, intent, 3))}")
    if data.faq is not None:
        print(f"FAQ answer chosen right: {data.faq.accuracy:.3f} ({data.faq.support} utterances)")
    if data.blind is not None:
        print("\n".join(summary_lines(data.blind)))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_bot_environment(argv)
    data = collect(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_markdown(data), encoding="utf-8")
    print_headline(data)
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
