"""Retention (crypto-shredding, then deletion), key rotation and password recovery."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from backend.cli import app as cli_app
from backend.core.config import Settings
from backend.domain.retention import run_retention
from backend.storage.clock import utcnow
from backend.storage.models import Bericht, LoketKey, Melding

from .conftest import (
    CANARY,
    PASSPHRASE,
    PASSWORD,
    add_key,
    add_user,
    database,
    login,
    submit,
)


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MELDWIJZER_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("MELDWIJZER_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.delenv("MELDWIJZER_PASSPHRASE", raising=False)
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE)
    return passphrase


def cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _close(client: TestClient, melding_id: str, days_ago: int) -> None:
    with database(client).session() as session:
        m = session.get(Melding, melding_id)
        assert m is not None
        m.status = "afgerond"
        m.afgerond_op = utcnow() - timedelta(days=days_ago)


def test_retention_shreds_then_deletes_only_expired_meldingen(client: TestClient) -> None:
    add_key(client)
    old, recent, still_open = submit(client), submit(client), submit(client)
    client.post("/api/v1/melder/aanvulling", json={"meldcode": old.meldcode, "tekst": CANARY})
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
    gone = client.post("/api/v1/melder/status", json={"meldcode": old.meldcode})
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


def test_users_create_via_cli_and_login(client: TestClient, cli_env: Path, tmp_path: Path) -> None:
    add_key(client)
    password = tmp_path / "pw.txt"
    password.write_text(PASSWORD)
    cli(
        "users", "create", "vertrouwenspersoon", "rotterdam", "nieuw1",
        "--rol", "coordinator", "--passphrase-file", str(cli_env), "--password-file", str(password),
    )  # fmt: skip
    sub = submit(client)
    auth = login(client, "nieuw1")
    detail = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth).json()
    assert CANARY in detail["inhoud"]["beschrijving"]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("niet de goede wachtzin")
    result = CliRunner().invoke(
        cli_app,
        ["users", "create", "vertrouwenspersoon", "rotterdam", "nieuw2",
         "--passphrase-file", str(wrong), "--password-file", str(password)],
    )  # fmt: skip
    assert result.exit_code != 0


def test_key_rotation_grants_the_new_key_and_old_meldingen_stay_readable(
    client: TestClient, cli_env: Path
) -> None:
    add_key(client)
    add_user(client, "vp1")
    before = submit(client)
    old_kid = client.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()["kid"]
    out = cli(
        "keys", "rotate", "vertrouwenspersoon", "rotterdam", "--passphrase-file", str(cli_env)
    )
    assert "granted to 1 user" in out
    new_kid = client.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()["kid"]
    assert new_kid != old_kid
    after = submit(client)
    auth = login(client, "vp1")
    for sub in (before, after):
        detail = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth)
        assert detail.status_code == 200 and CANARY in detail.json()["inhoud"]["beschrijving"]
    # Messages are now sealed to the new key and still readable for user and melder.
    base = f"/api/v1/loket/meldingen/{before.melding_id}"
    client.post(f"{base}/berichten", json={"tekst": "na rotatie"}, headers=auth)
    status = client.post("/api/v1/melder/status", json={"meldcode": before.meldcode}).json()
    assert status["berichten"][0]["tekst"] == "na rotatie"


def test_rotation_with_rewrap_lets_the_old_key_go(client: TestClient, cli_env: Path) -> None:
    add_key(client)
    add_user(client, "vp1")
    sub = submit(client)
    cli(
        "keys",
        "rotate",
        "vertrouwenspersoon",
        "rotterdam",
        "--passphrase-file",
        str(cli_env),
        "--rewrap",
    )
    with database(client).session() as session:
        old = session.scalars(select(LoketKey).where(LoketKey.actief.is_(False))).one()
        session.delete(old)  # retire the old key completely
    auth = login(client, "vp1")
    detail = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth)
    assert detail.status_code == 200


def test_rotation_needs_the_current_passphrase(
    client: TestClient, cli_env: Path, tmp_path: Path
) -> None:
    add_key(client)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("niet de goede wachtzin")
    result = CliRunner().invoke(
        cli_app,
        ["keys", "rotate", "vertrouwenspersoon", "rotterdam", "--passphrase-file", str(wrong)],
    )
    assert result.exit_code != 0


def test_recovery_after_a_forgotten_password(
    client: TestClient, cli_env: Path, tmp_path: Path
) -> None:
    add_key(client)
    add_user(client, "vp1")
    sub = submit(client)
    old_session = login(client, "vp1")
    new_password = tmp_path / "new.txt"
    new_password.write_text("een nieuw lang wachtwoord")
    out = cli(
        "users", "reset-password", "vp1",
        "--passphrase-file", str(cli_env), "--password-file", str(new_password),
    )  # fmt: skip
    assert "1 loket key(s) granted again" in out
    # Old sessions end, the old password no longer works, the new one does.
    assert client.get("/api/v1/loket/meldingen", headers=old_session).status_code == 401
    bad = client.post("/api/v1/loket/login", json={"naam": "vp1", "wachtwoord": PASSWORD})
    assert bad.status_code == 401
    auth = login(client, "vp1", "een nieuw lang wachtwoord")
    detail = client.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth)
    assert detail.status_code == 200


def test_deactivated_user_cannot_log_in(client: TestClient, cli_env: Path) -> None:
    add_key(client)
    add_user(client, "vp1")
    auth = login(client, "vp1")
    cli("users", "deactivate", "vp1")
    assert client.get("/api/v1/loket/meldingen", headers=auth).status_code == 401
    r = client.post("/api/v1/loket/login", json={"naam": "vp1", "wachtwoord": PASSWORD})
    assert r.status_code == 401
