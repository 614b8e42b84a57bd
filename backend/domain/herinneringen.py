"""Deadline reminders: a scheduler that asks a pluggable notifier to act on overdue
and soon-due deadlines (legal or afspraak; a melding without a term never reminds).
The default notifier only logs ids, kinds and dates.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from backend.domain.termijnen import Termijn, due
from backend.storage import db as dbmod
from backend.storage.clock import utcnow
from backend.storage.models import EINDSTATUSSEN, Melding

log = logging.getLogger("meldwijzer.herinneringen")


class Notifier(Protocol):
    def notify(self, termijn: Termijn) -> None: ...


class LogNotifier:
    """Logs only the melding id, the loket, the kind of term and deadline, and its date."""

    def notify(self, termijn: Termijn) -> None:
        log.warning(
            "termijn %s: melding=%s loket=%s eenheid=%s termijn=%s soort=%s uiterlijk=%s",
            "verstreken" if termijn.te_laat else "nadert",
            termijn.melding_id,
            termijn.loket,
            termijn.eenheid,
            termijn.termijn_soort,
            termijn.soort,
            termijn.uiterlijk.date().isoformat(),
        )


class MemoryNotifier:
    """Collects reminders (tests, or a web inbox badge)."""

    def __init__(self) -> None:
        self.sent: list[Termijn] = []

    def notify(self, termijn: Termijn) -> None:
        self.sent.append(termijn)


class ReminderRun:
    """One pass over the open meldingen; remembers what it already sent."""

    def __init__(self, notifier: Notifier, within: timedelta) -> None:
        self.notifier = notifier
        self.within = within
        self._sent: set[tuple[str, str, bool]] = set()

    def __call__(self, database: dbmod.Database, now: datetime) -> list[Termijn]:
        with database.session() as session:
            rows = list(
                session.scalars(select(Melding).where(Melding.status.not_in(EINDSTATUSSEN)))
            )
            overdue, soon = due(rows, now, self.within)
        new: list[Termijn] = []
        for termijn in (*overdue, *soon):
            key = (termijn.melding_id, termijn.soort, termijn.te_laat)
            if key in self._sent:
                continue
            self._sent.add(key)
            self.notifier.notify(termijn)
            new.append(termijn)
        return new


async def scheduler(
    database: dbmod.Database,
    run: ReminderRun,
    interval_seconds: float,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Run reminders every ``interval_seconds`` until cancelled; errors never stop it."""
    while True:
        try:
            await run_in_threadpool(run, database, clock())
        except Exception as exc:  # keep the clock ticking; never log content
            log.error("herinneringen mislukt: %s", type(exc).__name__)
        await asyncio.sleep(interval_seconds)
