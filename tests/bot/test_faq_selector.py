"""bot/faq_selector.py: picks the FAQ answer and writes Rasa's response_selector output."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.faq_selector import FaqSelector

QUESTIONS = {
    "faq/wat_doet_vik": [
        "wat doet vik",
        "wat is de afdeling vik",
        "wat doet de afdeling veiligheid integriteit en klachten",
        "waar is vik voor",
        "wat gebeurt er bij vik",
        "kan vik mij helpen",
    ],
    "faq/anoniem_melden": [
        "kan ik anoniem melden",
        "moet mijn naam erbij",
        "blijf ik anoniem",
        "kan het zonder mijn naam",
        "anoniem een melding doen kan dat",
        "weet iemand dat ik het ben",
    ],
}


def _trained(tmp_path: Path) -> tuple[LocalModelStorage, Resource, ExecutionContext]:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("faq_selector")
    examples = [Message.build(text=t, intent=key) for key, ts in QUESTIONS.items() for t in ts]
    examples.append(Message.build(text="hallo daar", intent="greet"))
    data = TrainingData(
        examples,
        responses={f"utter_{key}": [{"text": f"Antwoord {key}"}] for key in QUESTIONS},
    )
    FaqSelector.create(FaqSelector.get_default_config(), storage, resource, context).train(data)
    return storage, resource, context


def test_selects_the_answer_in_rasas_format(tmp_path: Path) -> None:
    storage, resource, context = _trained(tmp_path)
    loaded = FaqSelector.load(FaqSelector.get_default_config(), storage, resource, context)
    message = Message.build(text="mag ik anoniem blijven als ik meld?")
    loaded.process([message])
    selected = message.get("response_selector")
    assert selected["all_retrieval_intents"] == ["faq"]
    response = selected["faq"]["response"]
    assert response["utter_action"] == "utter_faq/anoniem_melden"
    assert response["intent_response_key"] == "faq/anoniem_melden"
    assert response["responses"] == [{"text": "Antwoord faq/anoniem_melden"}]
    assert 0.5 < response["confidence"] <= 1.0
    ranking = selected["faq"]["ranking"]
    assert [r["intent_response_key"] for r in ranking][0] == "faq/anoniem_melden"
    assert len(ranking) == 2

    other = Message.build(text="wat doet die afdeling vik eigenlijk")
    loaded.process([other])
    assert other.get("response_selector")["faq"]["response"]["utter_action"] == (
        "utter_faq/wat_doet_vik"
    )


def test_untrained_selector_leaves_the_message_alone(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = FaqSelector.get_default_config()
    loaded = FaqSelector.load(config, storage, Resource("never_trained"), context)
    message = Message.build(text="wat doet vik")
    loaded.process([message])
    assert message.get("response_selector") is None
