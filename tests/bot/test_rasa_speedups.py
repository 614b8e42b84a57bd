"""The Rasa speed-ups keep Rasa's behaviour and drop only the repeated work."""

from __future__ import annotations

import asyncio
from typing import Any

import jsonschema.validators
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.plugin import plugin_manager
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import log_redaction, rasa_speedups
from scripts.train_model import model_for_tests


def _action() -> RemoteAction:
    return RemoteAction("action_verstuur_melding", None)


VALID = {
    "events": [{"event": "slot", "name": "fase", "value": "verstuurd"}],
    "responses": [{"text": "Je melding is verstuurd."}],
}


def test_a_valid_action_response_passes_without_checking_the_schema_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_metaschema_check(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the schema is checked on every call again")

    for cls in set(jsonschema.validators._META_SCHEMAS.values()):
        monkeypatch.setattr(cls, "check_schema", classmethod(no_metaschema_check))
    assert _action()._validate_action_result(VALID) is True


def test_an_invalid_action_response_is_refused_with_rasas_message() -> None:
    with pytest.raises(ValidationError) as refused:
        _action()._validate_action_result({"events": "geen lijst"})
    assert "Failed to validate Action server response" in refused.value.message


def test_event_types_resolve_as_before() -> None:
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("user") is UserUttered  # from the cache
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("onbekend", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("onbekend", default=ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("onbekend")
    events = [UserUttered("hallo", {"name": "greet"}), SlotSet("fase", "intake")]
    assert deserialise_events([e.as_dict() for e in events]) == events


class _Store:
    def __init__(self) -> None:
        self.retrieved = 0

    async def retrieve(self, sender_id: str) -> DialogueStateTracker:
        self.retrieved += 1
        return DialogueStateTracker.from_events(sender_id, [])


class _Processor:
    def __init__(self) -> None:
        self.tracker_store = _Store()


def _run_pipeline(processor: _Processor) -> None:
    tracker = DialogueStateTracker.from_events("melder", [SlotSet("fase", "intake")])
    asyncio.run(MessageProcessor.run_anonymization_pipeline(processor, tracker))  # type: ignore[arg-type]


def test_our_redacting_pipeline_costs_no_tracker_reload() -> None:
    assert isinstance(
        plugin_manager().hook.get_anonymization_pipeline(), log_redaction.RedactingPipeline
    )
    processor = _Processor()
    _run_pipeline(processor)
    assert processor.tracker_store.retrieved == 0


def test_another_anonymization_pipeline_still_gets_every_new_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[dict[str, Any]] = []

    class Publishing:
        def run(self, event: dict[str, Any]) -> None:
            seen.append(event)

    monkeypatch.setattr(plugin_manager().hook, "get_anonymization_pipeline", lambda: Publishing())
    processor = _Processor()
    _run_pipeline(processor)
    assert processor.tracker_store.retrieved == 1
    assert [e["event"] for e in seen] == ["slot"]


PAYLOADS = [
    "/greet",
    "/bevestig_categorie",
    '/inform{"eenheid": "rotterdam"}',
    '/inform{"rol_melder": "betrokkene"}',
    '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}',
    "/stop",
    "/geen_intent_van_ons",  # unknown intent: back to the models
    "/ ik typ gewoon iets",  # not a payload
    "Mijn ploeg lacht me uit bij de briefing.",
]


@pytest.fixture(scope="module")
def processor() -> MessageProcessor:
    agent = asyncio.run(load_agent(model_path=str(model_for_tests())))
    assert agent.processor is not None
    return agent.processor


@pytest.mark.parametrize("text", PAYLOADS)
def test_payloads_parse_exactly_as_through_the_models(
    processor: MessageProcessor, text: str
) -> None:
    tracker = DialogueStateTracker.from_events("melder", [])
    message = UserMessage(text, sender_id="melder")
    direct = MessageProcessor._parse_message_with_graph(processor, message, tracker)
    through_models = rasa_speedups._parse_message_with_graph(processor, message, tracker)
    assert direct == through_models
