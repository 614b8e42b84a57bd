"""``make test``: train the model once (cached by data hash), then run both pytest suites.

The action-server tests run in the bot environment (Rasa SDK, Python 3.10);
everything else, including the end-to-end tests that start the real services,
runs in the backend environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.train_model import ensure_model  # noqa: E402


def pytest(python: Path, *args: str, env: dict[str, str]) -> int:
    return subprocess.run([str(python), "-m", "pytest", *args], cwd=ROOT, env=env).returncode


def main() -> int:
    started = time.monotonic()
    model = ensure_model()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MELDWIJZER_TEST_MODEL": str(model),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    extra = sys.argv[1:]
    failures = 0
    failures += pytest(ROOT / ".venv-bot/bin/python", "-q", "tests/actions", *extra, env=env) != 0
    failures += (
        pytest(
            ROOT / ".venv-backend/bin/python",
            "-q",
            "tests",
            "--ignore=tests/actions",
            *extra,
            env=env,
        )
        != 0
    )
    print(f"make test: {time.monotonic() - started:.0f} s in total", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
