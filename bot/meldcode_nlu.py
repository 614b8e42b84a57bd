"""A meldcode typed as words is not a sentence: the NLU must not read it as one.

Ten ordinary Dutch words (envelope/meldcode_woorden.py) sometimes look to the intent
classifier like a question to the bot or a typed button (about 1 in 80 random codes in
a measurement with the trained model). Those intents are excluded from filling the
``meldcode`` slot, so the code would not be taken. A code in characters gets
``nlu_fallback`` (it is out of vocabulary); this component gives a code in words the
same: a message of 8 to 12 words of which at least 7 are in the word list.
Crisis keywords still run after it (bot/crisis_keywords.py).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

import bot.log_redaction  # noqa: F401 - keeps message text out of Rasa logs
from bot.intent_override import IntentOverride
from envelope.meldcode_woorden import is_word_code_message

FALLBACK_INTENT = "nlu_fallback"
MIN_KNOWN_WORDS = 7  # of the 10: up to three typos


def is_meldcode_in_words(text: str) -> bool:
    return bool(text) and not text.startswith("/") and is_word_code_message(text, MIN_KNOWN_WORDS)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MeldcodeWoordenClassifier(IntentOverride):
    """Sets ``nlu_fallback`` for a message that is a meldcode in words."""

    INTENT = FALLBACK_INTENT

    def matches(self, text: str) -> bool:
        return is_meldcode_in_words(text)
