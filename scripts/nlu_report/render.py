"""The markdown report: data class, tables, the interpretation paragraph."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from scripts.nlu_report.blind import BLIND_TITLE, blind_headline, blind_section
from scripts.nlu_report.data import (
    CLEAR_MARGIN,
    CONFIDENT,
    SITUATION_INTENTS,
    TARGET_MACRO_F1,
)
from scripts.nlu_report.metrics import (
    Confusion,
    FaqSummary,
    Metrics,
    ReportData,
    ratio,
    situation_accuracy,
)

# Situation intents below this F1 count as weak in the interpretation.
WEAK_F1 = 0.85


def _f(value: float) -> str:
    return f"{value:.3f}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * ratio(part, whole):.0f} %"


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


def confusion_text(confusions: Iterable[Confusion]) -> str:
    return ", ".join(f"{c.true} → {c.predicted} ×{c.count}" for c in confusions) or "—"


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
            f"`{i}` ({f1:.3f}: {confusion_text(confusions_of(data.confusions, i))})"
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


def faq_paragraph(faq: FaqSummary | None) -> str:
    if faq is None:
        return (
            "Rasa wrote no `response_selection_report.json` (or it held no `faq/<key>` "
            "answers), so only the intent `faq` is evaluated here, not the answer chosen."
        )
    return (
        f"Of the {faq.support} test utterances of `faq/<key>`, the chosen answer is right in "
        f"{faq.accuracy:.3f} (macro F1 {faq.macro_f1:.3f} over {faq.answers} answers; Rasa's "
        "response-selection evaluation, which looks at the answer even when the intent was "
        "not `faq`). Weakest answers: "
        + ", ".join(f"`{key}` ({f1:.3f})" for key, f1 in faq.weakest)
        + "."
    )


def render_markdown(data: ReportData) -> str:
    h = data.headline()
    total = sum(data.counts.values())
    target_met = "met" if h["rasa_situation_macro_f1"] >= TARGET_MACRO_F1 else "**not met**"
    lines = [
        "# NLU report",
        "",
        f"In {data.folds}-fold cross-validation the macro F1 over the 19 situation intents is "
        f"**{_f(h['rasa_situation_macro_f1'])}** (target ≥ {TARGET_MACRO_F1:.2f}); "
        f"{blind_headline(data.blind)}.",
        "",
        "Generated by `.venv-bot/bin/python -m scripts.nlu_report` (run by hand; not part of "
        "the test suite).",
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
        + "; *Rasa* in the tables means that whole pipeline. Rasa's own stratified split, "
        "unseeded. "
        "Baseline: TF-IDF on the raw text (word 1–2 grams + char_wb 2–5 grams, lowercase) + "
        "LogisticRegression(max_iter=2000) on a "
        f"`StratifiedKFold({data.folds}, shuffle=True, random_state={data.seed})` split "
        "of the same examples. Retrieval intents `faq/<key>` count as one intent `faq`: Rasa "
        "reads them as intent `faq` plus an answer key, whatever the pipeline; the choice of "
        "the answer is Rasa's separate response-selection evaluation (section FAQ answers).",
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
        *(
            blind_section(data.blind, data.blind_model, data.blind_before, data.blind_before_name)
            if data.blind is not None
            else [f"## {BLIND_TITLE}", "", "Not scored for this report."]
        ),
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
        errors = confusion_text(confusions_of(data.confusions, intent, n=4))
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
    lines += ["", "## FAQ answers (held-out folds)", "", faq_paragraph(data.faq)]
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
