"""A melder in the chat over the Rasa REST channel, for scripts that walk conversations."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import httpx


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
