"""A keyword safety net for acute danger that does not depend on the classifier.

Runs last in the NLU pipeline: when a message matches one of the patterns, the
intent becomes ``acuut_gevaar`` with full confidence, whatever DIET predicted,
so the crisis path (112, 113, huisarts) is offered at once from any point.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

import bot.log_redaction  # noqa: F401 - keeps message text out of Rasa logs
from bot.intent_override import IntentOverride

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
class CrisisKeywordClassifier(IntentOverride):
    """Overrides the intent with ``acuut_gevaar`` on crisis keywords."""

    INTENT = CRISIS_INTENT

    def matches(self, text: str) -> bool:
        return is_crisis(text)
