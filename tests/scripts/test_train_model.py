"""``make run`` checks the training data before it trains (scripts/train_model.py).

Training skips Rasa's own validation (it is run as a step of its own), so an operator
who edits the data and starts the system must still hear about a broken story before a
model is trained from it. Runs the real ``rasa data validate`` on a copy of the project.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scripts import train_model

ROOT = train_model.ROOT

pytestmark = pytest.mark.skipif(
    not train_model.BOT_PYTHON.exists(), reason="the bot environment is not installed"
)

BROKEN_STORY = """version: "3.1"
stories:
- story: een verhaal met een intent die niet bestaat
  steps:
  - intent: groet_die_niet_bestaat
  - action: utter_welkom
"""


def test_broken_training_data_stops_make_run_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    for part in ("bot", "data"):
        shutil.copytree(ROOT / part, project / part)
    (project / "data/stories/kapot.yml").write_text(BROKEN_STORY)
    env = {**train_model.rasa_env(), "PYTHONPATH": str(ROOT)}

    commands: list[list[str]] = []
    real_run = subprocess.run

    def recording_run(args: list[str], **kwargs: Any) -> Any:
        commands.append([str(a) for a in args])
        return real_run(args, **kwargs)

    monkeypatch.setattr(train_model.subprocess, "run", recording_run)
    monkeypatch.setattr(train_model, "MODELS", tmp_path / "models")
    monkeypatch.setattr(train_model, "model_path", lambda: tmp_path / "models/m.tar.gz")
    real_validate = train_model.validate_data
    monkeypatch.setattr(
        train_model, "validate_data", lambda _env=None: real_validate(env, root=project)
    )
    with pytest.raises(SystemExit) as stopped:
        train_model.ensure_model()

    assert "no model was trained" in str(stopped.value)
    assert [c for c in commands if "validate" in c] and not [c for c in commands if "train" in c]
    assert not (tmp_path / "models/m.tar.gz").exists()
    assert "groet_die_niet_bestaat" in capsys.readouterr().err  # Rasa's own message
