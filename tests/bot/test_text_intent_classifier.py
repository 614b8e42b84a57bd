"""bot/text_intent_classifier.py: train, persist, load, classify; low confidence on gibberish."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.text_intent_classifier import TextIntentClassifier, best_temperature, softmax

EXAMPLES = {
    "situatie_pesten": [
        "mijn collega's pesten mij elke dienst",
        "ze maken me belachelijk in de app-groep",
        "ik word uitgelachen door de ploeg",
        "ze verstoppen mijn spullen en lachen erom",
        "elke briefing word ik gepest door mijn teamgenoten",
        "ze doen me na en maken grappen over mij",
        "ik word al maanden gepest op het bureau",
        "mijn ploeg treitert me en lacht me uit",
    ],
    "situatie_privacy": [
        "een collega heeft mijn gegevens opgezocht in de systemen",
        "iemand heeft mijn adres uit BVH gehaald",
        "mijn medische gegevens zijn rondgestuurd",
        "mijn dossier is ingezien zonder reden",
        "ze hebben mijn persoonsgegevens gedeeld met anderen",
        "een collega zocht mijn ex op in de politiesystemen",
        "mijn privé telefoonnummer is zonder toestemming verspreid",
        "iemand keek in mijn personeelsdossier",
    ],
    "inform": [
        "ik werk in rotterdam",
        "eenheid amsterdam",
        "rotterdam",
        "bij de noodhulp in rotterdam",
        "ik zit in rotterdam",
        "basisteam rotterdam",
        "ik werk bij eenheid rotterdam",
        "rotterdam centrum",
    ],
    "greet": [
        "hallo",
        "goedemorgen",
        "hoi",
        "hey daar",
        "goedemiddag",
        "hallo daar",
        "hoi hoi",
        "goedenavond",
    ],
}


def training_data() -> TrainingData:
    return TrainingData(
        [
            Message.build(text=text, intent=intent)
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def _trained(storage: LocalModelStorage, context: ExecutionContext) -> Resource:
    resource = Resource("text_intent_classifier")
    component = TextIntentClassifier.create(
        {**TextIntentClassifier.get_default_config(), "ranking_length": 2, "min_df": 1},
        storage,
        resource,
        context,
    )
    assert component.train(training_data()) == resource
    return resource


def _parse(component: TextIntentClassifier, text: str) -> Message:
    message = Message.build(text=text)
    component.process([message])
    return message


def test_trains_persists_loads_and_classifies(
    storage: LocalModelStorage, context: ExecutionContext
) -> None:
    resource = _trained(storage, context)
    config = {**TextIntentClassifier.get_default_config(), "ranking_length": 2}
    loaded = TextIntentClassifier.load(config, storage, resource, context)
    assert loaded.general is not None and loaded.situation is not None
    assert 0 < loaded.general.temperature < 10
    assert loaded.situation.classes == ["situatie_pesten", "situatie_privacy"]

    message = _parse(loaded, "mijn collega's pesten mij en lachen me uit")
    intent = message.get("intent")
    assert intent["name"] == "situatie_pesten"
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "situatie_pesten"
    assert len(ranking) == 2  # ranking_length
    assert ranking[0]["confidence"] >= ranking[1]["confidence"]
    assert ranking[0]["confidence"] == intent["confidence"]

    assert (
        _parse(loaded, "iemand heeft mijn gegevens opgezocht").get("intent")["name"]
        == "situatie_privacy"
    )
    assert _parse(loaded, "hallo").get("intent")["name"] == "greet"


def test_gibberish_gets_low_confidence(
    storage: LocalModelStorage, context: ExecutionContext
) -> None:
    resource = _trained(storage, context)
    loaded = TextIntentClassifier.load(
        TextIntentClassifier.get_default_config(), storage, resource, context
    )
    for text in ("xq zzv blorp", "qqq www eee", "1234"):
        intent = _parse(loaded, text).get("intent")
        assert intent["confidence"] < 0.5, (text, intent)
    assert loaded.general is not None
    assert loaded.general.known_trigram_share("xq zzv blorp") < 0.5
    assert loaded.general.known_trigram_share("mijn collega's pesten mij") == 1.0


def test_empty_text_has_no_intent(storage: LocalModelStorage, context: ExecutionContext) -> None:
    resource = _trained(storage, context)
    loaded = TextIntentClassifier.load(
        TextIntentClassifier.get_default_config(), storage, resource, context
    )
    message = _parse(loaded, "   ")
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []


def test_untrained_component_loads_and_predicts_nothing(
    storage: LocalModelStorage, context: ExecutionContext
) -> None:
    config = TextIntentClassifier.get_default_config()
    loaded = TextIntentClassifier.load(config, storage, Resource("never_trained"), context)
    assert loaded.general is None
    assert _parse(loaded, "hallo").get("intent")["name"] is None


def test_invalid_config_is_rejected() -> None:
    with pytest.raises(ValueError):
        TextIntentClassifier.validate_config({"C": 0})
    with pytest.raises(ValueError):
        TextIntentClassifier.validate_config({"class_weight": "sometimes"})


def test_softmax_and_temperature() -> None:
    scores = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [2.0, 0.0]])
    assert np.allclose(softmax(scores).sum(axis=1), 1.0)
    # Sharper with a lower temperature.
    assert softmax(scores, 0.5)[0, 0] > softmax(scores, 1.0)[0, 0]
    # All predictions right: the sharpest candidate temperature fits best.
    assert best_temperature(scores, np.array([0, 1, 0, 0])) < 0.1
    # Half of them wrong: a flat distribution (a high temperature) fits best.
    assert best_temperature(scores, np.array([1, 0, 0, 1])) > 2.0


def test_fingerprint_follows_the_source() -> None:
    first = TextIntentClassifier.fingerprint_addon({})
    assert first and first == TextIntentClassifier.fingerprint_addon({"C": 1.0})


def test_a_story_that_names_a_place_is_read_as_a_story(
    storage: LocalModelStorage, context: ExecutionContext
) -> None:
    """A place name in a story must not turn it into an answer to the eenheid question."""
    resource = _trained(storage, context)
    loaded = TextIntentClassifier.load(
        TextIntentClassifier.get_default_config(), storage, resource, context
    )
    assert _parse(loaded, "ik werk in rotterdam").get("intent")["name"] == "inform"
    story = "ik werk bij de noodhulp in rotterdam en mijn collega's pesten mij elke dienst"
    assert loaded.is_story(story)
    ranking = _parse(loaded, story).get("intent_ranking")
    assert ranking[0]["name"] == "situatie_pesten"
    # The share of the short-answer intents moved to the situations.
    assert all(r["confidence"] == 0.0 for r in ranking if r["name"] in ("inform", "greet"))
    # Without the guard the general model alone reads it as an eenheid answer.
    unguarded = TextIntentClassifier.load(
        {**TextIntentClassifier.get_default_config(), "story_min_words": 1000},
        storage,
        resource,
        context,
    )
    assert _parse(unguarded, story).get("intent")["name"] != "situatie_pesten" or (
        _parse(unguarded, story).get("intent")["confidence"]
        < _parse(loaded, story).get("intent")["confidence"]
    )
