"""Tracker stores that forget: after a stop and after inactivity.

``ForgetfulTrackerStore`` (the default) keeps conversations in memory only.
``ForgetfulRedisTrackerStore`` (production, several Rasa instances) keeps them
in Redis with an expiry (``record_exp`` seconds), so nothing stays there.
In both, when the melder stops ("stop", "snel weg") every event before the
restart is dropped at once.
"""

from __future__ import annotations

import time
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Restarted
from rasa.shared.core.trackers import DialogueStateTracker

import bot.rasa_speedups  # noqa: F401 - behaviour-preserving speed-ups


def forget_before_restart(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The tracker with only the events after its last restart."""
    events = list(tracker.events)
    last = max((i for i, e in enumerate(events) if isinstance(e, Restarted)), default=None)
    if last is None:
        return tracker
    return DialogueStateTracker.from_events(
        tracker.sender_id, events[last + 1 :], domain.slots, tracker._max_event_history
    )


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
        await super().save(forget_before_restart(tracker, self.domain))


class ForgetfulRedisTrackerStore(RedisTrackerStore):
    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        trimmed = forget_before_restart(tracker, self.domain)
        if trimmed is not tracker:
            # RedisTrackerStore merges with what is stored: remove that first.
            self.red.delete(self.key_prefix + tracker.sender_id)
        await super().save(trimmed, timeout)
