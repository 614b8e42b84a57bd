"""Loket users from the CLI: create, recover a forgotten password, deactivate."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from backend.cli import app as cli_app
from tests.backend.conftest import (
    CANARY,
    PASSWORD,
    add_key,
    add_user,
    cli,
    login,
    submit,
)


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
