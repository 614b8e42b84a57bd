# ruff: noqa: F811  (the fixtures are imported from tests/backend/conftest.py)
"""Review finding 9: retention crypto-shreds every copy, also those in old backups.

A "backup" here is what a dump of the database holds: the raw stored rows (read past
the ORM), including the loket keys under their passphrase. An attacker who has such a
backup *and* the loket passphrase could read every melding in it before. Now each
sealed part is stored under a monthly storage key kept outside the database; once
``retention run`` has moved the live rows to a newer key and destroyed the old one,
the backup is unreadable with any passphrase. Real app and CLI, SQLite and PostgreSQL;
the months pass by a fake clock for the storage keys only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import JSON, select, type_coerce

from backend.app import create_app
from backend.keys import bewaarsleutels
from backend.keys.loket_keys import unlock
from backend.storage.clock import utcnow
from backend.storage.models import AuditRegel, LoketKey, Melding
from envelope.sealing import SealError, envelope_header, open_sealed
from tests.backend.conftest import (  # noqa: F401 - fixtures
    CANARY,
    PASSPHRASE,
    add_key,
    add_user,
    cheap_kdfs,
    cli,
    cli_env,
    database,
    database_url,
    login,
    melder_status_response,
    notifier,
    pg_template,
    settings_for,
    sqlite_template,
    submit,
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, datetime]:
    """The storage keys' idea of 'now' (the rest of the app keeps the real time)."""
    now = {"t": utcnow()}
    monkeypatch.setattr(bewaarsleutels, "utcnow", lambda: now["t"])
    return now


@pytest.fixture
def kluis_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sleutelkluis"
    monkeypatch.setenv("MELDWIJZER_SLEUTELKLUIS", str(path))
    return path


@pytest.fixture
def app(database_url: str, kluis_dir: Path, clock: Any) -> Iterator[TestClient]:
    settings = settings_for(database_url, sleutelkluis=str(kluis_dir))
    with TestClient(create_app(settings)) as client:
        yield client


def dump(client: TestClient) -> dict[str, Any]:
    """A backup: the stored bytes of every melding and the loket keys."""
    with database(client).session() as session:
        rows = session.execute(select(Melding.id, type_coerce(Melding.sealed, JSON), Melding.kop))
        keys = session.scalars(select(LoketKey)).all()
        return {
            "meldingen": {r[0]: (r[1], r[2]) for r in rows},
            "keys": [(k.kid, json.loads(json.dumps(k.protected_private_key))) for k in keys],
        }


def read_backup(backup: dict[str, Any], melding_id: str) -> str:
    """What an attacker with the backup, the key directory of today and the loket
    passphrase gets: the melding text, or SealError."""
    stored, kop = backup["meldingen"][melding_id]
    if stored.get("v") == bewaarsleutels.FORMAT:
        stored = bewaarsleutels.kluis().unwrap(stored)
    for kid, protected in backup["keys"]:
        row = LoketKey(kid=kid, protected_private_key=protected)
        try:
            return open_sealed(stored, envelope_header(kop), unlock(row, PASSPHRASE)).decode()
        except SealError:
            continue
    raise SealError("nothing opens it")


def test_an_old_backup_is_unreadable_once_its_storage_key_is_destroyed(
    app: TestClient, cli_env: Path, clock: dict[str, datetime], kluis_dir: Path
) -> None:
    add_key(app)
    add_user(app, "vp1")
    weg = submit(app)  # will be deleted by retention
    blijft = submit(app)  # stays open
    backup = dump(app)
    assert all(v[0]["v"] == "mwb1" for v in backup["meldingen"].values())  # never plain
    assert CANARY in read_backup(backup, weg.melding_id)  # today the backup still opens

    with database(app).session() as session:
        m = session.get(Melding, weg.melding_id)
        assert m is not None
        m.status, m.afgerond_op = "afgerond", utcnow() - timedelta(days=800)

    # One month on: retention deletes the melding; the backup still has last month's key.
    clock["t"] = clock["t"] + timedelta(days=31)
    out = cli("retention", "run")
    assert "deleted 1 melding(en)" in out and "destroyed storage key(s): none" in out
    assert CANARY in read_backup(backup, weg.melding_id)

    # Two months on: every row is under a newer key, the backup's key is destroyed.
    clock["t"] = clock["t"] + timedelta(days=31)
    out = cli("retention", "run")
    assert "destroyed storage key(s): " + bewaarsleutels.periode(utcnow()) in out
    for melding_id in (weg.melding_id, blijft.melding_id):
        with pytest.raises(SealError):
            read_backup(backup, melding_id)  # with the right passphrase, still nothing
    assert len(list(kluis_dir.glob("*.key"))) == 2

    # The live melding is still readable for the loket and the melder.
    auth = login(app, "vp1")
    live = app.get(f"/api/v1/loket/meldingen/{blijft.melding_id}", headers=auth)
    assert live.status_code == 200 and CANARY in live.json()["inhoud"]["beschrijving"]
    status = melder_status_response(app, blijft)
    assert status.status_code == 200
    assert melder_status_response(app, weg).status_code == 404
    with database(app).session() as session:
        acties = [r.actie for r in session.scalars(select(AuditRegel))]
    assert "bewaartermijn_verwijderd" in acties and "bewaarsleutels_vernietigd" in acties


def test_a_key_still_in_use_is_never_destroyed(
    app: TestClient, clock: dict[str, datetime], kluis_dir: Path
) -> None:
    add_key(app)
    sub = submit(app)
    clock["t"] = clock["t"] + timedelta(days=70)
    with database(app).session() as session:  # no re-key ran (e.g. it failed)
        assert bewaarsleutels.destroy_old_keys(session) == []
    with database(app).session() as session:
        assert bewaarsleutels.rekey(session) == 1
    with database(app).session() as session:
        assert bewaarsleutels.destroy_old_keys(session) != []
        m = session.get(Melding, sub.melding_id)
        assert m is not None and m.sealed["v"] == "mw2" and m.sealed["recipients"]


def test_rows_from_before_the_layer_get_it_at_the_next_rekey(
    app: TestClient, clock: dict[str, datetime]
) -> None:
    add_key(app)
    add_user(app, "vp1")
    sub = submit(app)
    with database(app).session() as session:
        plain = session.get(Melding, sub.melding_id)
        assert plain is not None
        value = dict(plain.sealed)
        raw = sa.table("meldingen", sa.column("id"), sa.column("sealed", JSON))
        session.execute(raw.update().where(raw.c.id == sub.melding_id).values(sealed=value))
    auth = login(app, "vp1")
    assert app.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth).status_code == 200
    with database(app).session() as session:
        assert bewaarsleutels.rekey(session) >= 1
    backup = dump(app)
    assert backup["meldingen"][sub.melding_id][0]["v"] == "mwb1"
    assert app.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth).status_code == 200
