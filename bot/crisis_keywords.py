"""A keyword safety net for acute danger that does not depend on the classifier.

Runs last in the NLU pipeline: when a message matches one of the patterns, the
intent becomes ``acuut_gevaar`` with full confidence, whatever DIET predicted,
so the crisis path (112, 113, huisarts) is offered at once from any point.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

import bot.log_redaction  # noqa: F401 - keeps message text out of Rasa logs

CRISIS_INTENT = "acuut_gevaar"

PATTERNS = [
    r"\b(zelfmoord|suicide|suïcide|zelfdoding)\b",
    r"\bniet meer (willen |wil )?(leven|verder)\b",
    r"\b(wil|ga) (er )?(een )?(dood|eind(e)? aan maken)\b",
    r"\bdood (wil|gaan)\b",
    r"\beinde? (aan|maken aan) (mijn|m'n|me) leven\b",
    r"\bmezelf (iets|wat) (aan ?doen|aandoen|aan)\b",
    r"\bmijzelf (iets|wat) (aan ?doen|aandoen|aan)\b",
    r"\b(staat|sta|is|zit) (hier )?(nu )?(hier )?met een (wapen|mes|pistool|vuurwapen)\b",
    r"\b(ik word|ik ben) (nu|op dit moment|hier) (bedreigd|aangevallen|in gevaar)\b",
    r"\bik ben (nu )?niet veilig\b",
]
_COMPILED = [re.compile(p, re.IGNORECASE) for p in PATTERNS]


def is_crisis(text: str) -> bool:
    if not text or text.startswith("/"):
        return False
    return any(pattern.search(text) for pattern in _COMPILED)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisKeywordClassifier(GraphComponent):
    """Overrides the intent with ``acuut_gevaar`` on crisis keywords."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisKeywordClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if is_crisis(message.get("text") or ""):
                intent = {"name": CRISIS_INTENT, "confidence": 1.0}
                ranking = [intent] + [
                    r for r in message.get("intent_ranking") or [] if r.get("name") != CRISIS_INTENT
                ]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", ranking, add_to_output=True)
        return messages
