"""Components that set one intent, with full confidence, when a rule matches the text.

Used for what a statistical classifier must not decide: crisis keywords
(bot/crisis_keywords.py) and a meldcode typed as words (bot/meldcode_nlu.py). The
intent goes first in the ranking; the rest of the ranking stays as it was.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

import bot.log_redaction  # noqa: F401 - keeps message text out of Rasa logs


class IntentOverride(GraphComponent):
    """Sets ``INTENT`` for every message whose text ``matches``."""

    INTENT: ClassVar[str]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        return cls()

    def matches(self, text: str) -> bool:
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self.matches(message.get("text") or ""):
                intent = {"name": self.INTENT, "confidence": 1.0}
                ranking = [intent] + [
                    r for r in message.get("intent_ranking") or [] if r.get("name") != self.INTENT
                ]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", ranking, add_to_output=True)
        return messages
