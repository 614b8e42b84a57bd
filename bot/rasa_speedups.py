"""Four behaviour-preserving speed-ups of Rasa 3.6's per-turn hot paths.

Found with py-spy on the Rasa server during complete conversations (numbers
in docs/performance.md). Each patch keeps Rasa's behaviour and only removes
work that is repeated needlessly:

1. **Action-server responses** are validated with ``jsonschema.validate``,
   which first checks the *schema itself* against the metaschema on every call:
   about 60 % of the server's CPU per form turn. We compile the validator once
   and check each response against the same schema, raising the same error.
2. **Event types** are looked up by walking all subclasses of ``Event`` for
   every event of every tracker that is deserialised. We remember the answer
   per type name (classes never disappear, so a found class stays right).
3. **The anonymization pipeline** for event publishing reloads the tracker and
   diffs all its events every turn, only to hand them to our
   ``RedactingPipeline.run``, which does nothing (bot/log_redaction.py). With
   that pipeline we skip the work; any other pipeline still runs.
4. **Button payloads** (``/inform{"eenheid": "rotterdam"}``) went through every
   NLU model, and then Rasa's last NLU step, the ``RegexMessageHandler``,
   threw those predictions away and built a fresh message from the payload
   alone. We build that same message straight away; text that is not a valid
   payload still goes through the models.

Imported (and so installed) by the modules ``rasa run`` loads at start-up with
our endpoints and credentials: the tracker store and the socket.io channel.
"""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.plugin import plugin_manager
from rasa.shared.constants import DOCS_BASE_URL, INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.log_redaction import RedactingPipeline

_MARK = "_meldwijzer_speedups"


def _compiled_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, at start-up
    return cls(schema)


_VALIDATOR = _compiled_validator()


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _VALIDATOR.validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


_resolve_by_type_uncached = Event.resolve_by_type
_EVENT_TYPES: dict[str, type[Event]] = {}


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    found = _EVENT_TYPES.get(type_name)
    if found is not None:
        return found
    resolved = _resolve_by_type_uncached(type_name, default)
    if resolved is not None and resolved is not default:
        _EVENT_TYPES[type_name] = resolved
    return resolved


_run_anonymization_pipeline = MessageProcessor.run_anonymization_pipeline


async def _run_anonymization_pipeline_unless_redacting(
    self: MessageProcessor, tracker: DialogueStateTracker
) -> None:
    pipeline = plugin_manager().hook.get_anonymization_pipeline()
    if pipeline is None or isinstance(pipeline, RedactingPipeline):
        return None
    await _run_anonymization_pipeline(self, tracker)
    return None


_parse_message_with_graph = MessageProcessor._parse_message_with_graph


def _parse_payloads_directly(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    text = message.text or ""
    if text.strip().startswith(INTENT_MESSAGE_PREFIX):
        raw = Message(data={TEXT: text})
        unpacked = YAMLStoryReader.unpack_regex_message(
            raw, self.domain, entity_extractor_name=RegexMessageHandler.__name__
        )
        if unpacked is not raw:  # a valid payload: exactly what the graph would return
            parse_data: dict[str, Any] = {
                TEXT: "",
                INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                ENTITIES: [],
            }
            parse_data.update(unpacked.as_dict(only_output_properties=only_output_properties))
            return parse_data
    return _parse_message_with_graph(self, message, tracker, only_output_properties)


def install() -> None:
    if getattr(RemoteAction, _MARK, False):
        return
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
    MessageProcessor.run_anonymization_pipeline = (  # type: ignore[method-assign]
        _run_anonymization_pipeline_unless_redacting
    )
    MessageProcessor._parse_message_with_graph = _parse_payloads_directly  # type: ignore[method-assign]
    setattr(RemoteAction, _MARK, True)


install()
