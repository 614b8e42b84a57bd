"""Start the real system once per test session: trained model, action server, backend."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from scripts.services import ROOT, Ports, System, SystemConfig, free_port
from scripts.train_model import model_for_tests

PASSPHRASE = "integratie-test-wachtzin"
TEST_LOKETS = [
    ("vertrouwenspersoon", "rotterdam"),
    ("vik", "rotterdam"),
    ("klachtencommissie", "rotterdam"),
    ("meldpunt_misstanden", "landelijk"),
]


@dataclass
class RunningSystem:
    system: System
    config: SystemConfig
    workdir: Path
    passphrase_file: Path

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.system.admin(*args)


@pytest.fixture(scope="session")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    workdir = tmp_path_factory.mktemp("system")
    model = model_for_tests()
    config = SystemConfig(
        model=model,
        database_url=f"sqlite:///{workdir / 'meldwijzer.db'}",
        log_dir=workdir / "logs",
        ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
        outbox=workdir / "outbox.sqlite3",
        # The demo afspraak of `make run` (VIK), so a test sees all three kinds of clock.
        extra_env={
            "MELDWIJZER_OUTBOX_INTERVAL": "1",
            "MELDWIJZER_TERMIJNEN": str(ROOT / "scripts" / "demo_termijnen.yaml"),
        },
    )
    system = System(config)
    passphrase_file = workdir / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE)
    running = RunningSystem(system, config, workdir, passphrase_file)
    for loket, eenheid in TEST_LOKETS:
        result = running.admin(
            "keys", "generate", loket, eenheid, "--passphrase-file", str(passphrase_file)
        )
        assert result.returncode == 0, result.stderr
    try:
        system.start()
        yield running
    finally:
        system.stop()


# The first answer of every question, as a melder who clicks would give it.
ANSWERS = {
    "eenheid": "rotterdam",
    "rol_melder": "betrokkene",
    "rol_ander": "collega",
    "eerder_gemeld": "nee",
    "wens": "steun",
    "sinds_wanneer": "maanden",
    "anoniem": "ja",
    "toestemming_doorsturen": "nee",
}


class Melder:
    """One person in the chat, talking over the Rasa REST channel."""

    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = str(uuid.uuid4())
        self.last: list[dict[str, Any]] = []

    def say(self, message: str) -> list[dict[str, Any]]:
        response = httpx.post(
            self.url, json={"sender": self.sender, "message": message}, timeout=60
        )
        response.raise_for_status()
        self.last = response.json()
        return self.last

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.last)

    @property
    def buttons(self) -> dict[str, str]:
        return {b["payload"]: b["title"] for m in self.last for b in m.get("buttons") or []}

    def tell(self, story: str) -> None:
        """Tell what happened and accept the situation the bot proposes first.

        A confident model asks "Klopt dat?"; an unsure one offers the likely
        situations as buttons. Either way the melder was thanked first.
        """
        self.say(story)
        assert "Dank je dat je dit vertelt" in self.text, self.text
        self.confirm_situation()

    def confirm_situation(self) -> None:
        """Accept what the bot understood ("Klopt"), or the first situation it offers."""
        if "/bevestig_categorie" in self.buttons:
            self.click("/bevestig_categorie")
        else:
            self.click("/kies_categorie")

    def asked_slot(self) -> str | None:
        """The slot the bot asks for now (its answer buttons are /inform{"slot": ...})."""
        for payload in self.buttons:
            if payload.startswith("/inform{"):
                return str(next(iter(json.loads(payload[len("/inform") :]))))
        return None

    def answer_questions(self, answers: dict[str, str] | None = None) -> list[str]:
        """Answer, by button, every question the bot asks now (only those)."""
        answers = {**ANSWERS, **(answers or {})}
        asked: list[str] = []
        while (slot := self.asked_slot()) is not None and len(asked) < 12:
            asked.append(slot)
            self.click(f'"{slot}": "{answers[slot]}"')
        return asked

    def choose_loket(self, loket: str) -> None:
        """Choose a loket from the advice and answer what the melding still needs."""
        self.click(f'"gekozen_loket":"{loket}"')
        self.answer_questions()
        assert "Dit is je melding" in self.text, self.text

    def click(self, payload_part: str) -> list[dict[str, Any]]:
        matches = [p for p in self.buttons if payload_part in p]
        assert matches, f"no button with {payload_part!r} in {list(self.buttons)}\n{self.text}"
        return self.say(matches[0])


@pytest.fixture
def melder(running: RunningSystem) -> Melder:
    return Melder(running.config.rasa_url)
