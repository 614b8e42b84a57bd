"""A melder in the chat over the Rasa REST channel, for scripts that walk conversations."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from scripts.services import BACKEND_PYTHON, ROOT, Ports, System, SystemConfig, free_port
from scripts.train_model import ensure_model


@contextmanager
def demo_system() -> Iterator[str]:
    """The whole system on free ports with a throwaway database and the demo keys;
    yields the REST webhook URL and stops every service afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        config = SystemConfig(
            model=ensure_model(),
            database_url=f"sqlite:///{tmp}/demo.db",
            log_dir=Path(tmp) / "logs",
            ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
        )
        system = System(config)
        subprocess.run(
            [str(BACKEND_PYTHON), "-m", "backend.cli", "keys", "demo", f"{tmp}/pass.txt"],
            cwd=ROOT, env=system.env(), check=True, capture_output=True,
        )  # fmt: skip
        system.start()
        # The check-in scenarios date a melding back in this database (docs/checkin.md).
        os.environ["MELDWIJZER_DEMO_DATABASE_URL"] = config.database_url
        try:
            yield f"{config.rasa_url}/webhooks/rest/webhook"
        finally:
            system.stop()


def inform(slot: str, value: str) -> str:
    return "/inform" + json.dumps({slot: value})


@dataclass
class Chat:
    url: str
    sender: str = field(default_factory=lambda: str(uuid.uuid4()))
    last: list[dict[str, object]] = field(default_factory=list)

    def say(self, message: str) -> Chat:
        reply = httpx.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        reply.raise_for_status()
        self.last = reply.json()
        return self

    @property
    def text(self) -> str:
        return "\n".join(str(m.get("text") or "") for m in self.last)

    @property
    def payloads(self) -> list[str]:
        buttons = [b for m in self.last for b in (m.get("buttons") or [])]  # type: ignore[attr-defined]
        return [str(b["payload"]) for b in buttons]

    def expect(self, *needles: str) -> Chat:
        for needle in needles:
            assert needle in self.text, f"expected {needle!r} in:\n{self.text}"
        return self


def asked_slot(chat: Chat) -> str | None:
    """The slot the bot asks for now (its answer buttons are /inform{"slot": ...})."""
    for payload in chat.payloads:
        if payload.startswith("/inform{"):
            return str(next(iter(json.loads(payload[len("/inform") :]))))
    return None


def answer_until(chat: Chat, answers: dict[str, str], done: str) -> list[str]:
    """Answer every question the bot asks (only those) until ``done`` appears."""
    asked: list[str] = []
    while done not in chat.text:
        slot = asked_slot(chat)
        assert slot and slot in answers and len(asked) < 10, (slot, asked, chat.text)
        asked.append(slot)
        chat.say(inform(slot, answers[slot]))
    return asked
