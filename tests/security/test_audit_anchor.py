# ruff: noqa: F811  (the fixtures are imported from tests/backend/conftest.py)
"""Review finding 8: the audit chain is anchored outside the database, console
decryption is audited, and old loket keys can be retired (re-wrap, then destroy).

Real app and real ``meldwijzer-admin`` on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text
from typer.testing import CliRunner, Result

from backend.cli import app as cli_app
from backend.storage.models import AuditRegel, Bericht, KeyGrant, LoketKey, Melding
from tests.backend.conftest import (  # noqa: F401 - fixtures
    CANARY,
    PASSPHRASE,
    add_key,
    add_user,
    cheap_kdfs,
    cli,
    cli_env,
    client,
    database,
    database_url,
    login,
    melder_status,
    notifier,
    pg_template,
    sqlite_template,
    submit,
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli_app, list(args))


def cut_off_newest(client: TestClient, keep_up_to: int) -> None:
    """What a database administrator with full rights can do: drop the append-only
    triggers and delete the newest rows. The rest of the chain stays valid."""
    with database(client).session() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        session.execute(delete(AuditRegel).where(AuditRegel.volgnummer > keep_up_to))


@pytest.fixture
def anchored(client: TestClient, cli_env: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Some activity, an anchor key and an anchor file (outside the database)."""
    add_key(client)
    add_user(client, "vp1")
    auth = login(client, "vp1")
    sub = submit(client)
    client.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth)
    key, ankers = tmp_path / "anker.key", tmp_path / "ankers.jsonl"
    assert "public key" in cli("audit", "anchor-key", str(key))
    assert (key.stat().st_mode & 0o777) == 0o600
    return key, ankers


def test_cutting_off_the_newest_rows_is_detected_after_a_checkpoint(
    client: TestClient,
    anchored: tuple[Path, Path],
) -> None:
    key, ankers = anchored
    out = cli("audit", "checkpoint", "--ankers", str(ankers), "--sleutel", str(key))
    anchored_row = int(out.split("checkpoint row ")[1].split()[0])
    # more work after the checkpoint
    auth = login(client, "vp1")
    submit(client)
    client.get("/api/v1/loket/meldingen", headers=auth)
    assert run("audit", "verify", "--ankers", str(ankers), "--sleutel", str(key)).exit_code == 0

    # Cutting off rows written after the checkpoint cannot be seen (documented window) ...
    cut_off_newest(client, anchored_row)
    ok = run("audit", "verify", "--ankers", str(ankers), "--sleutel", str(key))
    assert ok.exit_code == 0 and "1 anchor(s) match" in ok.output
    # ... but cutting into the anchored part can: the chain alone looks intact.
    cut_off_newest(client, anchored_row - 2)
    assert run("audit", "verify").exit_code == 0  # the old check: no anchor, no alarm
    bad = run("audit", "verify", "--ankers", str(ankers), "--sleutel", str(key))
    assert bad.exit_code == 1
    assert f"row {anchored_row}" in bad.output and "cut off" in bad.output


def test_a_rebuilt_chain_or_a_forged_anchor_is_detected(
    client: TestClient,
    anchored: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key, ankers = anchored
    monkeypatch.setenv("MELDWIJZER_AUDIT_ANKERS", str(ankers))
    monkeypatch.setenv("MELDWIJZER_AUDIT_ANKER_SLEUTEL", str(key))
    cli("audit", "checkpoint")
    cli("audit", "checkpoint")
    assert len(ankers.read_text().splitlines()) == 2
    with database(client).session() as session:
        rows = list(session.scalars(select(AuditRegel).order_by(AuditRegel.volgnummer)))
    # A forged anchor (the attacker writes the head of a shorter chain) has no valid
    # signature without the key, which is not in the database.
    lines = ankers.read_text().splitlines()
    forged = json.loads(lines[-1]) | {"volgnummer": 2, "hash": rows[1].hash}
    ankers.write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    bad = run("audit", "verify")
    assert bad.exit_code == 1 and "no valid signature" in bad.output
    ankers.write_text(lines[0] + "\n" + lines[1] + "\n")
    assert run("audit", "verify").exit_code == 0

    # Rebuild: cut off the end and re-compute every hash from some row on.
    from backend.domain.audit import _fields, row_hash

    cut_off_newest(client, 3)
    with database(client).session() as session:
        if session.get_bind().dialect.name != "postgresql":
            session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        first = session.get(AuditRegel, 1)
        assert first is not None
        first.actor = "beheer"
        first.hash = row_hash(first.vorige_hash, _fields(first))
        vorige = first.hash
        for n in (2, 3):
            regel = session.get(AuditRegel, n)
            assert regel is not None
            regel.vorige_hash = vorige
            regel.hash = row_hash(vorige, _fields(regel))
            vorige = regel.hash
    result = run("audit", "verify", "--ankers", str(ankers), "--sleutel", str(key))
    assert result.exit_code == 1


def test_checkpoint_needs_key_and_file(cli_env: Path, client: TestClient) -> None:
    assert run("audit", "checkpoint").exit_code != 0
    assert run("audit", "anchor-key", str(cli_env)).exit_code != 0  # never overwrites


def test_console_decryption_is_audited(client: TestClient, cli_env: Path) -> None:
    add_key(client)
    first, second = submit(client), submit(client)
    out = cli(
        "meldingen", "open", "vertrouwenspersoon", "rotterdam", "--passphrase-file", str(cli_env)
    )
    assert out.count(CANARY) == 2
    with database(client).session() as session:
        rows = list(
            session.scalars(select(AuditRegel).where(AuditRegel.actie == "melding_geopend_console"))
        )
    assert {r.melding_id for r in rows} == {first.melding_id, second.melding_id}
    assert all(r.actor.startswith("beheer:") for r in rows)
    assert all(CANARY not in r.details for r in rows)
    assert run("audit", "verify").exit_code == 0


def _kids_in_use(client: TestClient) -> set[str]:
    with database(client).session() as session:
        parts = [m.sealed for m in session.scalars(select(Melding))]
        parts += [m.sealed_identiteit for m in session.scalars(select(Melding))]
        parts += [b.sealed for b in session.scalars(select(Bericht))]
    return {r["kid"] for p in parts if p for r in p["recipients"]}


def test_retiring_an_old_key_rewraps_then_destroys_it(
    client: TestClient,
    cli_env: Path,
) -> None:
    add_key(client)
    add_user(client, "vp1")
    auth = login(client, "vp1")
    old = submit(client, identiteit={"naam": "Voorbeeld Persoon"})
    base = f"/api/v1/loket/meldingen/{old.melding_id}"
    client.post(f"{base}/berichten", json={"tekst": "Bericht voor de melder"}, headers=auth)
    client.post(f"{base}/notities", json={"tekst": "Interne notitie"}, headers=auth)
    with database(client).session() as session:
        old_kid = session.scalars(select(LoketKey.kid)).one()
    pw = str(cli_env)
    # The active key cannot be retired.
    retire = ("keys", "retire", "vertrouwenspersoon", "rotterdam", old_kid)
    assert run(*retire, "--passphrase-file", pw).exit_code != 0
    cli("keys", "rotate", "vertrouwenspersoon", "rotterdam", "--passphrase-file", pw)
    newer = submit(client)
    assert old_kid in _kids_in_use(client)

    wrong = cli_env.parent / "wrong.txt"
    wrong.write_text("een heel andere wachtzin")
    refused = run(*retire, "--passphrase-file", str(wrong))
    assert refused.exit_code != 0 and old_kid in _kids_in_use(client)

    out = cli(*retire, "--passphrase-file", pw)
    assert "destroyed" in out
    assert old_kid not in _kids_in_use(client)
    with database(client).session() as session:
        assert old_kid not in set(session.scalars(select(LoketKey.kid)))
        assert session.scalars(select(KeyGrant)).all()  # the grant of the new key stays
        assert any(r.actie == "sleutel_vernietigd" for r in session.scalars(select(AuditRegel)))
    # The user logs in again and reads everything with the new key only.
    auth = login(client, "vp1")
    detail = client.get(base, headers=auth).json()
    assert CANARY in detail["inhoud"]["beschrijving"]
    assert detail["identiteit"] == {"naam": "Voorbeeld Persoon"}
    teksten = {b["tekst"] for b in detail["berichten"]}
    assert teksten == {"Bericht voor de melder", "Interne notitie"}
    newer_detail = client.get(f"/api/v1/loket/meldingen/{newer.melding_id}", headers=auth)
    assert newer_detail.status_code == 200
    # The melder still reads the loket's message with the meldcode.
    status = melder_status(client, old)
    assert [b["tekst"] for b in status["berichten"]] == ["Bericht voor de melder"]
    # And the console opens it with the passphrase (the new key is under the same one).
    assert CANARY in cli(
        "meldingen", "open", "vertrouwenspersoon", "rotterdam", "--passphrase-file", pw
    )
    assert PASSPHRASE
