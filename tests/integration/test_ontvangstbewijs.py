"""The ontvangstbewijs through the real chat: after sending, the bot hands over the
signed receipt; the backend and `meldwijzer-admin bewijs controleer` call it valid, a
changed copy invalid; the status in a later conversation carries the same receipt."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import Melder, RunningSystem
from .test_end_to_end import send_quick_melding

pytestmark = pytest.mark.e2e


def receipts(melder: Melder) -> list[dict[str, Any]]:
    return [
        m["custom"]["data"]["ontvangstbewijs"]
        for m in melder.last
        if isinstance(m.get("custom"), dict) and "ontvangstbewijs" in m["custom"].get("data", {})
    ]


def test_chat_hands_over_a_receipt_that_verifies(running: RunningSystem, tmp_path: Path) -> None:
    melder = Melder(running.config.rasa_url)
    story = "Een collega maakt steeds grappen over mijn afkomst tijdens de briefing."
    meldcode = send_quick_melding(melder, story)
    assert "Download dan je ontvangstbewijs" in melder.text
    (bewijs,) = receipts(melder)
    assert bewijs["loket"] == "vertrouwenspersoon" and "afkomst" not in json.dumps(bewijs)

    backend = running.config.backend_url
    check = httpx.post(f"{backend}/api/v1/bewijs/controleren", json=bewijs, timeout=30).json()
    assert check["geldig"] is True and check["in_auditketen"] is True

    good = tmp_path / "bewijs.json"
    good.write_text(json.dumps(bewijs), encoding="utf-8")
    result = running.admin("bewijs", "controleer", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "GELDIG" in result.stdout
    bad = tmp_path / "veranderd.json"
    bad.write_text(json.dumps({**bewijs, "eenheid": "amsterdam"}), encoding="utf-8")
    result = running.admin("bewijs", "controleer", str(bad))
    assert result.returncode == 1 and "ONGELDIG" in result.stdout

    later = Melder(running.config.rasa_url)
    later.say("/greet")
    later.click("/heb_meldcode")
    later.say(meldcode)
    assert "Je melding is binnen" in later.text
    assert receipts(later) == [bewijs]
