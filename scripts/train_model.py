"""Train the Rasa model only when its inputs changed (cached by content hash).

Usage: python scripts/train_model.py  -> prints the path of the model to use.
Stdlib only; runs ``rasa data validate`` and ``rasa train`` from the bot environment.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
# The config, domain and data, plus the project's own Python that training runs.
INPUTS = (
    "bot/config.yml",
    "bot/domain",
    "data",
    "bot/crisis_keywords.py",
    "bot/retrieval_importer.py",
    "bot/text_intent_classifier.py",
    "bot/text_model.py",
    "bot/text_normalisation.py",
    "bot/faq_selector.py",
    "bot/text_component.py",
)


def training_files() -> list[Path]:
    files: list[Path] = []
    for entry in INPUTS:
        path = ROOT / entry
        files.extend(sorted(p for p in path.rglob("*.yml")) if path.is_dir() else [path])
    return files


def data_hash() -> str:
    digest = hashlib.sha256()
    digest.update(Path(BOT_PYTHON).name.encode())
    for path in training_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS / f"meldwijzer-{data_hash()}.tar.gz"


def model_for_tests() -> Path:
    """The model ``make test`` trained for this run (MELDWIJZER_TEST_MODEL), else ours."""
    return Path(os.environ.get("MELDWIJZER_TEST_MODEL") or ensure_model())


def rasa_env() -> dict[str, str]:
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
    }


def validate_data(env: dict[str, str] | None = None, root: Path = ROOT) -> tuple[bool, str]:
    """``rasa data validate`` on domain, data and config: (passed without a warning, output).

    Rasa's own warnings are UserWarnings; Python's DeprecationWarnings from its
    dependencies are not about our data and do not count.
    """
    result = subprocess.run(
        [
            str(BOT_PYTHON), "-m", "rasa", "data", "validate", "--domain", "bot/domain",
            "--data", "data", "--config", "bot/config.yml", "--fail-on-warnings",
        ],
        cwd=root, env=env or rasa_env(), capture_output=True, text=True,
    )  # fmt: skip
    output = result.stdout + result.stderr
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    return result.returncode == 0 and not warnings, output


def ensure_model(validate: bool = True) -> Path:
    """The model for the current data, trained first when the data changed.

    Before a training the data is validated (``validate``; ``make test`` validates as a
    step of its own): a story that names an unknown intent, or a duplicate example,
    stops here with Rasa's own message instead of training a model that misbehaves.
    """
    target = model_path()
    if target.exists():
        return target
    MODELS.mkdir(exist_ok=True)
    env = rasa_env()
    if validate:
        print("Checking the training data (rasa data validate) ...", file=sys.stderr, flush=True)
        passed, output = validate_data(env)
        if not passed:
            print(output[-6000:], file=sys.stderr)
            raise SystemExit(
                "The training data has errors or warnings (see above); no model was trained."
            )
    started = time.monotonic()
    print(
        f"Training the Rasa model ({target.name}); this takes a few minutes ...",
        file=sys.stderr,
        flush=True,
    )
    subprocess.run(
        [
            str(BOT_PYTHON),
            "-m",
            "rasa",
            "train",
            "--config",
            "bot/config.yml",
            "--domain",
            "bot/domain",
            "--data",
            "data",
            "--out",
            str(MODELS),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
            # The data is validated as a step of its own (above, or in `make test`,
            # which fails on any warning). Inside `rasa train` the same checks re-read
            # all data and cost ~15 s of every training.
            "--skip-validation",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=sys.stderr,
    )
    seconds = time.monotonic() - started
    (MODELS / "last-training-seconds.txt").write_text(f"{seconds:.1f}\n")
    print(f"Trained in {seconds:.0f} s.", file=sys.stderr, flush=True)
    return target


if __name__ == "__main__":
    print(ensure_model())
