"""FAQ answer selection without TensorFlow (replaces Rasa's ResponseSelector).

Rasa's ``ResponseSelector`` trained a transformer for 60 epochs: most of the training
time and several hundred MiB of resident memory, for picking one of ~40 FAQ answers.
This component picks the answer with the same calibrated TF-IDF + logistic-regression
model the intent classifier uses (:mod:`bot.text_model`), trained on the examples of the
retrieval intent (``faq/<key>``), and writes Rasa's own ``response_selector`` output, so
``utter_faq`` (Rasa's ``ActionRetrieveResponse``) and the rules work unchanged.
The comparison of the two is in docs/nlu-report.md.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import text_model
from bot.text_component import TextModelComponent
from bot.text_model import TextModel, fit_text_model

logger = logging.getLogger(__name__)

MODEL = "faq"
RESPONSES_FILE = "responses.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqSelector(TextModelComponent):
    """Chooses the answer of a retrieval intent with a calibrated text model."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**text_model.DEFAULTS, "retrieval_intent": "faq", "ranking_length": 5}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: TextModel | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
        retrieval_intents: list[str] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self.model = model
        self.responses = responses or {}
        self.retrieval_intents = retrieval_intents or []

    def train(self, training_data: TrainingData) -> Resource:
        intent = self.config["retrieval_intent"]
        examples = [
            e
            for e in training_data.intent_examples
            if e.get(INTENT) == intent and e.get(INTENT_RESPONSE_KEY) and e.get(TEXT)
        ]
        keys = [str(e.get(INTENT_RESPONSE_KEY)) for e in examples]
        self.retrieval_intents = sorted(training_data.retrieval_intents)
        if len(set(keys)) < 2:
            logger.warning(f"FaqSelector: fewer than two answers for '{intent}'; not trained.")
            return self._resource
        self.model = fit_text_model(self.config, [str(e.get(TEXT)) for e in examples], keys)
        self.responses = {
            f"utter_{key}": list(training_data.responses.get(f"utter_{key}", []))
            for key in sorted(set(keys))
        }
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        texts = [str(m.get(TEXT) or "") for m in messages]
        probabilities = self.model.probabilities(texts)
        classes = self.model.classes
        length = int(self.config["ranking_length"])
        for message, row in zip(messages, probabilities, strict=True):
            order = np.argsort(-row)
            top = classes[order[0]]
            ranking = [
                {
                    "id": int(i),
                    PREDICTED_CONFIDENCE_KEY: float(row[i]),
                    INTENT_RESPONSE_KEY: classes[i],
                }
                for i in order[:length]
            ]
            properties = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
            properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.retrieval_intents
            properties[self.config["retrieval_intent"]] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(f"utter_{top}", []),
                    PREDICTED_CONFIDENCE_KEY: float(row[order[0]]),
                    INTENT_RESPONSE_KEY: top,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{top}",
                },
                RESPONSE_SELECTOR_RANKING_KEY: ranking,
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            if self.model is not None:
                self.model.save(model_dir, MODEL)
            (model_dir / RESPONSES_FILE).write_text(
                json.dumps({"responses": self.responses, "intents": self.retrieval_intents}),
                encoding="utf-8",
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqSelector:
        try:
            with model_storage.read_from(resource) as model_dir:
                model = TextModel.load(model_dir, MODEL)
                stored = json.loads((model_dir / RESPONSES_FILE).read_text(encoding="utf-8"))
        except ValueError as error:
            logger.warning(f"FaqSelector not loaded ({error}); it selects nothing.")
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, model, stored["responses"], stored["intents"])
