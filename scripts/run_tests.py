"""``make test``: train the model once (cached by data hash), then run every check.

The action-server and NLU tests, the data validation and the recorded dialogue stories
run in the bot environment (Rasa SDK, Python 3.10), beside the rest, which runs in the
backend environment: first the backend's own tests, then the end-to-end tests that
start the real services (they wait for the privacy check's deduce cache).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.train_model import BOT_PYTHON, ensure_model, rasa_env, validate_data  # noqa: E402


def pytest(python: Path, *args: str, env: dict[str, str]) -> int:
    return subprocess.run([str(python), "-m", "pytest", *args], cwd=ROOT, env=env).returncode


def suite_passed(code: int, extra: list[str]) -> bool:
    """Pytest's exit code; with a selection (-k ...) a part may hold no test (code 5)."""
    return code == 0 or (bool(extra) and code == 5)


def captured_pytest(python: Path, *args: str, env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run(
        [str(python), "-m", "pytest", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result.returncode, result.stdout + result.stderr


def rasa(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A ``rasa`` command in the bot environment, output captured."""
    return subprocess.run(
        [str(BOT_PYTHON), "-m", "rasa", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def dialogue_stories(model: Path, env: dict[str, str]) -> tuple[int, str]:
    """The recorded test stories must be predicted exactly by the trained model."""
    with tempfile.TemporaryDirectory() as out:
        result = rasa(
            "test", "core", "--model", str(model), "--stories", "tests/stories",
            "--fail-on-prediction-errors", "--out", out, env=env,
        )  # fmt: skip
    output = result.stdout + result.stderr
    correct = [
        line.split("Correct:")[1].strip() for line in output.splitlines() if "Correct:" in line
    ]
    story_file = (ROOT / "tests/stories/test_conversations.yml").read_text()
    stories = len(re.findall(r"^- story:", story_file, re.M))
    passed = stories if result.returncode == 0 else 0
    report = [
        f"recorded dialogue stories, actions predicted correctly: {correct[-1:]}",
        f"dialogue: {passed} passed, {stories - passed} failed",
    ]
    if result.returncode != 0:
        report.append(output[-6000:])
    return result.returncode, "\n".join(report)


def data_validation(env: dict[str, str]) -> tuple[int, str]:
    """``rasa data validate`` on domain, data and config must pass without a warning."""
    passed, output = validate_data(env)
    report = f"rasa data validate: {'passed, 0 warnings' if passed else 'FAILED'}"
    return (0, report) if passed else (1, f"{report}\n{output[-4000:]}")


BOT_TESTS = ("tests/actions", "tests/bot", "tests/privacy", "tests/scripts/test_nlu_report.py")


def bot_environment_checks(model: Path, env: dict[str, str], extra: list[str]) -> tuple[int, str]:
    """Everything that runs in the bot environment: the data validation, the action-server
    and NLU tests, and the recorded dialogue stories. Failures counted, output collected."""
    failures, reports = 0, []
    for code, report in (
        data_validation(env),
        captured_pytest(BOT_PYTHON, "-q", *BOT_TESTS, *extra, env=env),
        dialogue_stories(model, env),
    ):
        failures += not suite_passed(code, extra)
        reports.append(report.rstrip())
    return failures, "\n".join(reports)


# Tests that start the whole system: its action server loads the privacy check's deduce
# lookup structures, so they wait until that cache is built. The rest starts at once.
SYSTEM_TESTS = ("tests/integration", "tests/browser", "tests/security")


class DeduceCache:
    """The privacy check's deduce lookup structures (actions/privacy_check.py), built once
    per checkout (1-5 minutes on a cold cache) beside the training, not in a test."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(BOT_PYTHON), "-m", "actions.privacy_check"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
        )
        self._lock = threading.Lock()
        self._reported = False

    def wait(self) -> None:
        with self._lock:
            if self.process.wait() != 0 and not self._reported:
                print("make test: building the privacy check's deduce cache failed", flush=True)
                self._reported = True


def main() -> int:
    started = time.monotonic()
    deduce_cache = DeduceCache()
    try:
        model = ensure_model(validate=False)  # validated below, beside the backend suite
    except subprocess.CalledProcessError:
        _, report = data_validation({**os.environ, "PYTHONPATH": str(ROOT)})
        print(f"make test: the training failed.\n{report}", flush=True)
        deduce_cache.process.kill()
        return 1
    env = {**rasa_env(), "PYTHONPATH": str(ROOT), "MELDWIJZER_TEST_MODEL": str(model)}
    extra = sys.argv[1:]
    backend_python = ROOT / ".venv-backend/bin/python"

    def bot_side() -> tuple[int, str]:
        deduce_cache.wait()  # the privacy tests use it
        return bot_environment_checks(model, env, list(extra))

    # The bot-environment checks (about 3 minutes, mostly one core) run beside the backend
    # suite, which spends much of its time waiting for the services it starts; their
    # output is printed when both are done. The backend's own tests need no deduce cache
    # and start while it is still being built (a fresh clone).
    print("make test: the bot-environment checks run beside the backend suite", flush=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        bot_checks = pool.submit(bot_side)
        ignored = [f"--ignore={path}" for path in (*BOT_TESTS, *SYSTEM_TESTS)]
        units = pytest(backend_python, "-q", "tests", *ignored, *extra, env=env)
        deduce_cache.wait()
        system = pytest(backend_python, "-q", *SYSTEM_TESTS, *extra, env=env)
        bot_failures, bot_report = bot_checks.result()
    print("\n--- bot environment: data validation, action-server and NLU tests, stories ---")
    print(bot_report, flush=True)
    failures = bot_failures + (not suite_passed(units, extra)) + (not suite_passed(system, extra))
    print(f"make test: {time.monotonic() - started:.0f} s in total", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
