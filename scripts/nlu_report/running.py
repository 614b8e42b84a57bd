"""Running things: Rasa's cross-validation and its output files, the baseline, this machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from scripts.nlu_report.data import BOT_PYTHON, CONFIG, DOMAIN, NLU_DIR, ROOT, Example
from scripts.nlu_report.metrics import (
    TRAIN_END_MARK,
    RasaRun,
    fold_training_times,
    parse_cv_summary,
)


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


def read_json_list(path: Path) -> list[Any]:
    if not path.exists():
        return []
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, list) else []


@dataclass
class RasaResults:
    """What the report reads from the output directory of ``rasa test nlu``."""

    intent_report: dict[str, Any]
    errors: list[Any]  # intent_errors.json
    successes: list[Any]  # intent_successes.json (empty when missing)
    # response_selection_report.json: Rasa writes it when the test folds hold two or more
    # faq/<key> answers and a component (here FaqSelector) fills `response_selector`;
    # None when the file is missing.
    response_report: dict[str, Any] | None


def read_rasa_results(out_dir: Path) -> RasaResults:
    response = out_dir / "response_selection_report.json"
    loaded = json.loads(response.read_text(encoding="utf-8")) if response.exists() else None
    return RasaResults(
        intent_report=json.loads((out_dir / "intent_report.json").read_text(encoding="utf-8")),
        errors=read_json_list(out_dir / "intent_errors.json"),
        successes=read_json_list(out_dir / "intent_successes.json"),
        response_report=loaded if isinstance(loaded, dict) else None,
    )
