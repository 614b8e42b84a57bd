"""Retention: crypto-shredding, then deletion."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backend.core.config import Settings
from backend.domain.retention import run_retention
from backend.storage.clock import utcnow
from backend.storage.models import Bericht, Melding
from tests.backend.conftest import (
    CANARY,
    add_key,
    cli,
    database,
    melder_status_response,
    melder_write,
    submit,
)


def _close(client: TestClient, melding_id: str, days_ago: int) -> None:
    with database(client).session() as session:
        m = session.get(Melding, melding_id)
        assert m is not None
        m.status = "afgerond"
        m.afgerond_op = utcnow() - timedelta(days=days_ago)


def test_retention_shreds_then_deletes_only_expired_meldingen(client: TestClient) -> None:
    add_key(client)
    old, recent, still_open = submit(client), submit(client), submit(client)
    assert melder_write(client, old, "aanvulling", CANARY).status_code == 201
    _close(client, old.melding_id, 400)  # vertrouwenspersoon keeps 365 days
    _close(client, recent.melding_id, 10)
    settings = Settings()
    with database(client).session() as session:
        dry = run_retention(session, settings, utcnow(), dry_run=True)
    assert [d[0] for d in dry.due] == [old.melding_id]
    with database(client).session() as session:
        assert session.get(Melding, old.melding_id) is not None
        report = run_retention(session, settings, utcnow())
    assert report.count == 1
    with database(client).session() as session:
        assert session.get(Melding, old.melding_id) is None
        assert session.get(Melding, recent.melding_id) is not None
        assert session.get(Melding, still_open.melding_id) is not None
        assert session.scalar(select(func.count()).select_from(Bericht)) == 0
    gone = melder_status_response(client, old)
    assert gone.status_code == 404


def test_retention_period_is_configurable_per_loket(client: TestClient) -> None:
    add_key(client)
    sub = submit(client)
    _close(client, sub.melding_id, 40)
    with database(client).session() as session:
        assert run_retention(session, Settings(), utcnow(), dry_run=True).count == 0
        short = Settings(bewaartermijnen={"vertrouwenspersoon": 30})
        assert run_retention(session, short, utcnow(), dry_run=True).count == 1


def test_retention_cli_dry_run_and_run(client: TestClient, cli_env: Path) -> None:
    add_key(client)
    sub = submit(client)
    _close(client, sub.melding_id, 400)
    out = cli("retention", "run", "--dry-run")
    assert sub.melding_id in out and "would delete 1" in out
    assert "deleted 1" in cli("retention", "run")
    assert "deleted 0" in cli("retention", "run")
