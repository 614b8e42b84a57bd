"""Intent classifier: TF-IDF n-grams + logistic regression with calibrated confidences.

Replaces Rasa's ``LogisticRegressionClassifier``, which fed raw n-gram counts into an
unregularised-looking lbfgs fit that did not converge, took minutes and memorised its
training data. This component builds its own features from the message text:

* sublinear TF-IDF over word 1-2 grams and ``char_wb`` 2-5 grams (character n-grams carry
  typos, inflections and compounds such as "app-groep" / "appgroep");
* a multinomial logistic regression (``C`` = 30, balanced class weights, so the 19
  situation intents are not drowned by the large retrieval intent ``faq``);
* a temperature, fitted on out-of-fold predictions of the training data, that makes the
  softmax confidences calibrated: the bot treats a top confidence >= 0.5 as "understood";
* an out-of-vocabulary guard: when few character trigrams of a message were ever seen in
  training (gibberish, codes, another language) all confidences are scaled down, so the
  FallbackClassifier still triggers instead of a confident guess.

The result (see docs/nlu-report.md) is measured with ``scripts/nlu_report.py``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

logger = logging.getLogger(__name__)

MODEL_FILE = "model.skops"
META_FILE = "meta.json"
# The only non-sklearn/numpy type inside the persisted pipeline (the fitted IDF matrix).
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]
# Candidate temperatures for the calibration (log-spaced grid).
TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(3.0), 60))


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``scores / temperature``."""
    scaled = scores / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def best_temperature(scores: np.ndarray, targets: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of ``targets``."""
    rows = np.arange(len(targets))
    best_nll, best_t = float("inf"), 1.0
    for temperature in TEMPERATURES:
        nll = float(-np.mean(np.log(softmax(scores, temperature)[rows, targets] + 1e-12)))
        if nll < best_nll:
            best_nll, best_t = nll, float(temperature)
    return best_t


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TextIntentClassifier(IntentClassifier, GraphComponent):
    """TF-IDF + logistic regression intent classifier with calibrated confidences."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Inverse regularisation strength of the logistic regression.
            "C": 30.0,
            # "balanced" or null.
            "class_weight": "balanced",
            "word_ngram_range": [1, 2],
            "char_ngram_range": [2, 5],
            "sublinear_tf": True,
            "max_iter": 3000,
            # Folds for the out-of-fold temperature fit; 0 or 1 disables calibration.
            "calibration_folds": 3,
            # Below this share of known character trigrams the confidences are scaled down.
            "min_known_trigrams": 0.6,
            "ranking_length": 10,
            "random_state": 42,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Pipeline | None = None,
        temperature: float = 1.0,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        self.temperature = temperature

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """This module's source: Rasa's training cache must not restore a model that an
        older version of this code trained (the config alone would not tell them apart)."""
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if float(config.get("C", 1.0)) <= 0:
            raise ValueError("TextIntentClassifier: C must be positive")
        if config.get("class_weight") not in (None, "balanced"):
            raise ValueError("TextIntentClassifier: class_weight must be 'balanced' or null")

    # ------------------------------------------------------------------ training

    def _new_pipeline(self) -> Pipeline:
        word = tuple(self.config["word_ngram_range"])
        char = tuple(self.config["char_ngram_range"])
        sublinear = bool(self.config["sublinear_tf"])
        return Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            (
                                "word",
                                TfidfVectorizer(
                                    analyzer="word", ngram_range=word, sublinear_tf=sublinear
                                ),
                            ),
                            (
                                "char",
                                TfidfVectorizer(
                                    analyzer="char_wb", ngram_range=char, sublinear_tf=sublinear
                                ),
                            ),
                        ]
                    ),
                ),
                (
                    "classifier",
                    LogisticRegression(
                        C=float(self.config["C"]),
                        class_weight=self.config["class_weight"],
                        max_iter=int(self.config["max_iter"]),
                        random_state=int(self.config["random_state"]),
                    ),
                ),
            ]
        )

    def _fit_temperature(self, texts: list[str], labels: np.ndarray) -> float:
        """Temperature from out-of-fold decision scores on the training data."""
        classes, counts = np.unique(labels, return_counts=True)
        folds = min(int(self.config["calibration_folds"]), int(counts.min()))
        if folds < 2 or len(classes) < 2:
            return 1.0
        index = {label: i for i, label in enumerate(classes)}
        # Classes missing from an inner training fold keep a very low score.
        scores = np.full((len(texts), len(classes)), -1e3)
        splitter = StratifiedKFold(
            n_splits=folds, shuffle=True, random_state=int(self.config["random_state"])
        )
        for train_idx, test_idx in splitter.split(texts, labels):
            model = self._new_pipeline().fit([texts[i] for i in train_idx], labels[train_idx])
            decision = _decision_scores(model, [texts[i] for i in test_idx])
            columns = [index[label] for label in model.classes_]
            scores[np.ix_(test_idx, columns)] = decision
        targets = np.array([index[label] for label in labels])
        return best_temperature(scores, targets)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        texts = [str(e.get(TEXT)) for e in examples]
        labels = np.array([str(e.get(INTENT)) for e in examples])
        if len(set(labels.tolist())) < 2:
            logger.warning("TextIntentClassifier needs at least two intents; not trained.")
            return self._resource
        self.temperature = self._fit_temperature(texts, labels)
        self.pipeline = self._new_pipeline().fit(texts, labels)
        logger.debug(f"TextIntentClassifier trained, temperature {self.temperature:.3f}")
        self.persist()
        return self._resource

    # ----------------------------------------------------------------- inference

    def known_trigram_share(self, text: str) -> float:
        """Share of the text's character trigrams that occur in the training vocabulary."""
        assert self.pipeline is not None
        char: TfidfVectorizer = self.pipeline.named_steps["features"].transformer_list[1][1]
        trigrams = [g for g in char.build_analyzer()(text) if len(g) == 3]
        if not trigrams:
            return 0.0
        return sum(g in char.vocabulary_ for g in trigrams) / len(trigrams)

    def predict(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        """Per text the intents with their confidence, most likely first."""
        if self.pipeline is None or not texts:
            return [[] for _ in texts]
        probabilities = softmax(_decision_scores(self.pipeline, texts), self.temperature)
        classes = [str(c) for c in self.pipeline.classes_]
        minimum = float(self.config["min_known_trigrams"])
        rankings = []
        for text, row in zip(texts, probabilities, strict=True):
            factor = min(1.0, self.known_trigram_share(text) / minimum) if minimum > 0 else 1.0
            order = np.argsort(-row)
            rankings.append(
                [
                    {INTENT_NAME_KEY: classes[i], PREDICTED_CONFIDENCE_KEY: float(row[i] * factor)}
                    for i in order
                ]
            )
        return rankings

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [str(m.get(TEXT) or "") for m in messages]
        with_text = [i for i, text in enumerate(texts) if text.strip()]
        rankings = self.predict([texts[i] for i in with_text])
        by_message = dict(zip(with_text, rankings, strict=True))
        length = int(self.config["ranking_length"])
        for i, message in enumerate(messages):
            ranking = by_message.get(i) or []
            if not ranking:
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                    add_to_output=True,
                )
                message.set("intent_ranking", [], add_to_output=True)
                continue
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                "intent_ranking", ranking[:length] if length > 0 else ranking, add_to_output=True
            )
        return messages

    # --------------------------------------------------------------- persistence

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self.pipeline, model_dir / MODEL_FILE)
            (model_dir / META_FILE).write_text(
                json.dumps({"temperature": self.temperature}), encoding="utf-8"
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TextIntentClassifier:
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / MODEL_FILE
                untrusted = sio.get_untrusted_types(file=path)
                unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
                if unexpected:
                    raise ValueError(f"untrusted types in {path.name}: {unexpected}")
                pipeline = sio.load(path, trusted=untrusted)
                meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        except ValueError as error:
            # Also raised by read_from when the resource does not exist (not trained).
            logger.warning(f"TextIntentClassifier not loaded ({error}); it predicts nothing.")
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, pipeline, float(meta["temperature"]))


def _decision_scores(model: Pipeline, texts: list[str]) -> np.ndarray:
    """Decision scores with one column per class (also for two classes)."""
    scores = np.asarray(model.decision_function(texts))
    if scores.ndim == 1:  # binary logistic regression: one column for the positive class
        scores = np.column_stack([-scores / 2, scores / 2])
    return scores
