"""What the two text-model components share (bot/text_intent_classifier.py, faq_selector.py).

Both are Rasa graph components built on :mod:`bot.text_model`: created untrained, and
keyed in Rasa's training cache by the source of every module that decides what a
trained model contains (the config alone would not tell two code versions apart).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

SOURCES = (
    "text_component.py",
    "text_intent_classifier.py",
    "faq_selector.py",
    "text_model.py",
    "text_normalisation.py",
)
Component = TypeVar("Component", bound="TextModelComponent")


def source_fingerprint() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


class TextModelComponent(GraphComponent):
    """Base of the text-model components; subclasses take (config, storage, resource)."""

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @classmethod
    def create(
        cls: type[Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return source_fingerprint()
