"""Tracker stores that forget: after a stop and after inactivity.

``ForgetfulTrackerStore`` (the default) keeps conversations in memory only.
``ForgetfulRedisTrackerStore`` (production, several Rasa instances) keeps them
in Redis with an expiry (``record_exp`` seconds), so nothing stays there.
In both, when the melder stops ("stop", "snel weg") every event before the
restart is dropped at once, and no meldcode is ever stored: the code the bot
showed, the code the melder typed (message text, NLU data, the raw slot value)
are replaced by ``[meldcode]`` before a tracker is saved, in characters and in
words. The ``meldcode`` slot itself holds the code only sealed by the action server
(actions/melder_agent.py).
"""

from __future__ import annotations

import re
import time
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import bot.rasa_speedups  # noqa: F401 - behaviour-preserving speed-ups
from envelope.meldcode_woorden import is_word_code_message, word_code_spans


def forget_before_restart(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The tracker with only the events after its last restart."""
    events = list(tracker.events)
    last = max((i for i, e in enumerate(events) if isinstance(e, Restarted)), default=None)
    if last is None:
        return tracker
    return DialogueStateTracker.from_events(
        tracker.sender_id, events[last + 1 :], domain.slots, tracker._max_event_history
    )


MELDCODE_MASK = "[meldcode]"
_SYMBOL = "[0-9A-HJ-NP-TV-Za-hj-np-tv-zOoIiLl]"
# Four or five groups of four (as shown and as usually typed) ...
_GROUPED = re.compile(
    rf"(?<![0-9A-Za-z]){_SYMBOL}{{4}}(?:[-\s._]+{_SYMBOL}{{4}}){{3,4}}(?![0-9A-Za-z])"
)
# ... or 16/20 symbols in one word with at least one digit (no Dutch word has one).
_PLAIN = re.compile(
    rf"(?<![0-9A-Za-z])(?=[A-Za-z]*[0-9])(?:{_SYMBOL}{{20}}|{_SYMBOL}{{16}})(?![0-9A-Za-z])"
)
_SEALED_TOKEN = "mc2."  # noqa: S105 - actions/melder_agent.TOKEN_PREFIX


_WHOLE = re.compile(rf"(?:{_SYMBOL}{{20}}|{_SYMBOL}{{16}})")


def mask_meldcodes(text: str) -> str:
    """The text with every meldcode-shaped part replaced by MELDCODE_MASK (a message
    that is nothing but a code in any spelling is masked whole)."""
    if _WHOLE.fullmatch(re.sub(r"[-\s._]", "", text)) or is_word_code_message(text):
        return MELDCODE_MASK
    return _mask_word_codes(_PLAIN.sub(MELDCODE_MASK, _GROUPED.sub(MELDCODE_MASK, text)))


def _mask_word_codes(text: str) -> str:
    """The same code written as Dutch words (envelope/meldcode_woorden.py) masked too."""
    for start, end in reversed(word_code_spans(text)):
        text = text[:start] + MELDCODE_MASK + text[end:]
    return text


# Names the dialogue runs on, never what a melder or the bot wrote: an intent such as
# "alleen_informatie" has 16 letters of the meldcode alphabet and must stay intact.
_STRUCTURAL = frozenset(
    {"event", "name", "intent_response_key", "utter_action", "retrieval_intent",
     "input_channel", "message_id", "entity", "extractor", "role", "group", "policy"}
)  # fmt: skip


def _mask_value(value: Any, key: str | None = None) -> Any:
    if isinstance(value, str):
        return value if key in _STRUCTURAL else mask_meldcodes(value)
    if isinstance(value, dict):
        return {k: _mask_value(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value(v, key) for v in value]
    return value


def _without_meldcode(event: Event) -> Event:
    if isinstance(event, (UserUttered, BotUttered)):
        data = event.as_dict()
        masked = _mask_value(data)
        return event if masked == data else Event.from_parameters(masked)  # type: ignore[return-value]
    if isinstance(event, SlotSet) and event.key == "meldcode":
        value = event.value
        if isinstance(value, str) and not value.startswith(_SEALED_TOKEN):
            data = event.as_dict()
            return Event.from_parameters({**data, "value": MELDCODE_MASK})  # type: ignore[return-value]
    return event


def without_meldcodes(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The tracker with every meldcode in a message or the raw slot value masked."""
    events = list(tracker.events)
    masked = [_without_meldcode(e) for e in events]
    if all(a is b for a, b in zip(events, masked, strict=True)):
        return tracker
    return DialogueStateTracker.from_events(
        tracker.sender_id, masked, domain.slots, tracker._max_event_history
    )


def storable(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    return without_meldcodes(forget_before_restart(tracker, domain), domain)


class ForgetfulTrackerStore(InMemoryTrackerStore):
    def __init__(
        self,
        domain: Domain,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        idle_minutes: float = 60,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.idle_seconds = float(idle_minutes) * 60
        self.last_seen: dict[str, float] = {}

    def forget_idle(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for sender_id, seen in list(self.last_seen.items()):
            if now - seen > self.idle_seconds:
                self.store.pop(sender_id, None)
                self.last_seen.pop(sender_id, None)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.forget_idle()
        self.last_seen[tracker.sender_id] = time.monotonic()
        await super().save(storable(tracker, self.domain))


class ForgetfulRedisTrackerStore(RedisTrackerStore):
    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        trimmed = storable(tracker, self.domain)
        if trimmed is not tracker:
            # RedisTrackerStore merges with what is stored: remove that first, so
            # neither dropped events nor an unmasked meldcode come back.
            self.red.delete(self.key_prefix + tracker.sender_id)
        await super().save(trimmed, timeout)
