"""Through the real chat: an anonymous story's names and numbers are shown before the
summary, the melder replaces them, and only the edited story reaches the loket."""

from __future__ import annotations

import json

import pytest

from scripts.chat_client import Chat
from scripts.story_scenarios import SCENARIOS, privacy_scenario

from .conftest import RunningSystem
from .test_identiteit import _raw_files

pytestmark = pytest.mark.e2e


def _opened(running: RunningSystem) -> list[dict[str, object]]:
    result = running.admin(
        "meldingen", "open", "vertrouwenspersoon", "rotterdam",
        "--passphrase-file", str(running.passphrase_file),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_replaced_words_never_reach_the_loket(running: RunningSystem) -> None:
    spec = SCENARIOS["privacy_check"][0]  # replace the name and the phone number, keep the date
    privacy_scenario(spec)(Chat(f"{running.config.rasa_url}/webhooks/rest/webhook"))

    mine = [m for m in _opened(running) if "Brigadier [naam]" in str(m.get("beschrijving"))]
    assert len(mine) == 1
    beschrijving = str(mine[0]["beschrijving"])
    assert "[telefoonnummer]" in beschrijving and "Op 3 maart" in beschrijving
    assert "De Vries" not in beschrijving and "06-12345678" not in beschrijving
    # The replaced words are in no log, database or outbox file either.
    for path in _raw_files(running):
        data = path.read_bytes()
        assert b"De Vries" not in data and b"06-12345678" not in data, path.name


def test_keeping_everything_sends_the_story_as_written(running: RunningSystem) -> None:
    spec = SCENARIOS["privacy_check"][1]
    privacy_scenario(spec)(Chat(f"{running.config.rasa_url}/webhooks/rest/webhook"))
    mine = [m for m in _opened(running) if "roepnummer 17-231" in str(m.get("beschrijving"))]
    assert len(mine) == 1
