"""The audit log is append-only and hash-chained; tampering is detected."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from backend.cli import app as cli_app
from backend.domain.audit import verify
from backend.storage.models import AuditRegel
from tests.backend.conftest import CANARY, add_key, add_user, database, login, melder_status, submit


@pytest.fixture
def busy(client: TestClient) -> TestClient:
    """A few meldingen read, messaged, noted and confirmed."""
    add_key(client)
    add_user(client, "vp1")
    auth = login(client, "vp1")
    for _ in range(2):
        sub = submit(client)
        base = f"/api/v1/loket/meldingen/{sub.melding_id}"
        client.get(base, headers=auth)
        client.post(f"{base}/status", json={"status": "bevestigd"}, headers=auth)
        client.post(f"{base}/berichten", json={"tekst": CANARY}, headers=auth)
        client.post(f"{base}/notities", json={"tekst": CANARY}, headers=auth)
        melder_status(client, sub)
    return client


def _unprotect(conn, dialect: str) -> None:  # type: ignore[no-untyped-def]
    """What a database administrator with full rights could do first."""
    if dialect == "postgresql":
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_actions_are_logged_with_who_and_when_never_content(busy: TestClient) -> None:
    with database(busy).session() as session:
        rows = list(session.scalars(select(AuditRegel).order_by(AuditRegel.volgnummer)))
        report = verify(session)
    acties = [r.actie for r in rows]
    for actie in (
        "melding_ontvangen",
        "inloggen",
        "melding_gelezen",
        "status_gewijzigd",
        "bericht_verstuurd",
        "notitie_toegevoegd",
        "melder_status_bekeken",
    ):
        assert actie in acties
    gelezen = next(r for r in rows if r.actie == "melding_gelezen")
    assert gelezen.actor.startswith("gebruiker:") and "vp1" in gelezen.actor
    assert gelezen.melding_id and gelezen.tijdstip
    assert CANARY not in json.dumps([r.details for r in rows])
    assert report.ok and report.rows == len(rows)


def test_database_refuses_update_and_delete(busy: TestClient) -> None:
    db = database(busy)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), db.engine.begin() as conn:
            conn.execute(text(statement))


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_log SET actor = 'gebruiker:99:iemand' WHERE volgnummer = 3",
        "UPDATE audit_log SET details = '{}' WHERE volgnummer = 4",
        "UPDATE audit_log SET tijdstip = '2020-01-01T00:00:00+00:00' WHERE volgnummer = 3",
        "DELETE FROM audit_log WHERE volgnummer = 3",
    ],
)
def test_tampering_is_detected_at_the_first_broken_link(
    busy: TestClient, database_url: str, tamper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = database(busy)
    with db.engine.begin() as conn:
        _unprotect(conn, db.engine.dialect.name)
        conn.execute(text(tamper))
    with db.session() as session:
        report = verify(session)
    assert not report.ok
    assert report.broken_at in (3, 4)
    assert report.rows == report.broken_at - 1
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(cli_app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at row {report.broken_at}" in result.output


def test_rewriting_a_row_with_a_fresh_hash_still_breaks_the_next_link(busy: TestClient) -> None:
    from backend.domain.audit import row_hash

    db = database(busy)
    with db.session() as session:
        row = session.get(AuditRegel, 3)
        assert row is not None
        fields = {
            "volgnummer": 3,
            "tijdstip": row.tijdstip,
            "actor": "gebruiker:99:iemand",
            "actie": row.actie,
            "melding_id": row.melding_id,
            "details": row.details,
        }
        forged = row_hash(row.vorige_hash, fields)
    with db.engine.begin() as conn:
        _unprotect(conn, db.engine.dialect.name)
        conn.execute(
            text("UPDATE audit_log SET actor = :a, hash = :h WHERE volgnummer = 3"),
            {"a": "gebruiker:99:iemand", "h": forged},
        )
    with db.session() as session:
        report = verify(session)
    assert not report.ok and report.broken_at == 4


def test_cli_reports_an_intact_chain(
    busy: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(cli_app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
