"""Loket key rotation: grants to users, re-wrapping, proof of the passphrase."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from backend.cli import app as cli_app
from backend.storage.models import LoketKey
from tests.backend.conftest import (
    CANARY,
    add_key,
    add_user,
    cli,
    database,
    login,
    melder_status,
    submit,
)


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
    status = melder_status(client, before)
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
