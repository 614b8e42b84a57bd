"""The clock per route and its reminder scheduler, with a fake clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from backend.app import create_app
from backend.domain.herinneringen import LogNotifier, MemoryNotifier, ReminderRun, scheduler
from backend.storage import db as dbmod
from backend.storage.models import Melding
from tests.backend.conftest import add_key, database, settings_for, submit

LMM = ("meldpunt_misstanden", "landelijk")  # the loket with the legal term


def _melding_at(client: TestClient, received: datetime, loket: str = LMM[0]) -> str:
    sub = submit(client, loket=loket, categorie="misstand")
    with database(client).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.ontvangen_op = received
        m.bevestigen_voor = received + timedelta(days=7)
        m.terugkoppeling_voor = received + timedelta(days=91)
    return sub.melding_id


def test_reminders_with_a_fake_clock(client: TestClient) -> None:
    add_key(client, *LMM)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    mid = _melding_at(client, start)
    notifier = MemoryNotifier()
    run = ReminderRun(notifier, within=timedelta(days=2))
    db = database(client)
    assert run(db, start + timedelta(days=1)) == []
    soon = run(db, start + timedelta(days=5, hours=12))
    assert [(t.melding_id, t.soort, t.te_laat, t.termijn_soort) for t in soon] == [
        (mid, "bevestiging", False, "wet")
    ]
    assert run(db, start + timedelta(days=6)) == []  # not twice
    late = run(db, start + timedelta(days=8))
    assert [(t.soort, t.te_laat) for t in late] == [("bevestiging", True)]
    with db.session() as session:
        m = session.get(Melding, mid)
        assert m is not None
        m.status, m.bevestigd_op = "bevestigd", start + timedelta(days=8)
    feedback = run(db, start + timedelta(days=90))
    assert [(t.soort, t.te_laat) for t in feedback] == [("terugkoppeling", False)]
    with db.session() as session:
        m = session.get(Melding, mid)
        assert m is not None
        m.status = "ingetrokken"
    assert run(db, start + timedelta(days=200)) == []


def test_log_notifier_logs_ids_and_dates_only(client: TestClient, caplog) -> None:  # type: ignore[no-untyped-def]
    add_key(client, *LMM)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    mid = _melding_at(client, start)
    caplog.set_level("WARNING", logger="meldwijzer.herinneringen")
    ReminderRun(LogNotifier(), timedelta(days=2))(database(client), start + timedelta(days=8))
    text = caplog.text
    assert mid in text and "2026-01-12" in text and "CANARY" not in text
    assert "termijn=wet" in text


def test_scheduler_runs_on_its_interval_and_stops(client: TestClient) -> None:
    add_key(client, *LMM)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    _melding_at(client, start)
    notifier = MemoryNotifier()
    ticks = iter([start, start + timedelta(days=6), start + timedelta(days=9)])
    db: dbmod.Database = database(client)

    async def main() -> None:
        task = asyncio.create_task(
            scheduler(
                db,
                ReminderRun(notifier, timedelta(days=2)),
                0.01,
                clock=lambda: next(ticks, start + timedelta(days=9)),
            )
        )
        await asyncio.sleep(0.3)
        task.cancel()

    asyncio.run(main())
    assert [(t.soort, t.te_laat) for t in notifier.sent] == [
        ("bevestiging", False),
        ("bevestiging", True),
    ]


def test_scheduler_starts_with_the_app_and_can_be_disabled(database_url: str) -> None:
    notifier = MemoryNotifier()
    app = create_app(settings_for(database_url, herinnering_interval_seconden=1), notifier=notifier)
    with TestClient(app) as c:
        add_key(c, *LMM)
        sub = submit(c, loket=LMM[0], categorie="misstand")
        with database(c).session() as session:
            m = session.get(Melding, sub.melding_id)
            assert m is not None
            m.bevestigen_voor = datetime(2020, 1, 1, tzinfo=UTC)
        import time

        deadline = time.monotonic() + 5
        while not notifier.sent and time.monotonic() < deadline:
            time.sleep(0.05)
    assert notifier.sent and notifier.sent[0].melding_id == sub.melding_id


def test_no_reminders_without_a_term_and_afspraken_remind_as_afspraak(
    afspraak_client: TestClient,
) -> None:
    client = afspraak_client
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    add_key(client)  # vertrouwenspersoon: an afspraak of 5 and 30 days in this override
    add_key(client, "vik", "rotterdam")
    vp = submit(client)
    vik = submit(client, loket="vik")
    with database(client).session() as session:
        for mid in (vp.melding_id, vik.melding_id):
            m = session.get(Melding, mid)
            assert m is not None
            m.ontvangen_op = start
            m.bevestigen_voor = start + timedelta(days=5)
            m.terugkoppeling_voor = start + timedelta(days=30)
        m = session.get(Melding, vp.melding_id)
        assert m is not None
        m.termijn_soort, m.bevestigen_voor, m.terugkoppeling_voor = "geen", None, None
    run = ReminderRun(MemoryNotifier(), within=timedelta(days=2))
    sent = run(database(client), start + timedelta(days=40))
    assert [(t.melding_id, t.soort, t.termijn_soort) for t in sent] == [
        (vik.melding_id, "bevestiging", "afspraak"),
        (vik.melding_id, "terugkoppeling", "afspraak"),
    ]
