# ruff: noqa: F811  (the fixtures are imported from other test modules)
"""Bijlagen and the storage keys: a backup of the chunks and manifests becomes unreadable
once the month's storage key is destroyed, while the live file stays downloadable."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from backend.keys import bewaarde_bytes, bewaarsleutels
from tests.backend.api.test_bijlagen import CANARY, _melder, upload
from tests.backend.conftest import (  # noqa: F401 - fixtures
    add_user,
    cheap_kdfs,
    database,
    database_url,
    login,
    pg_template,
    sqlite_template,
)
from tests.security.test_retention_shredding import app, clock, kluis_dir  # noqa: F401


def backup(client: TestClient) -> list[bytes]:
    with database(client).session() as session:
        rows = session.connection().exec_driver_sql("SELECT inhoud FROM bijlage_delen").all()
        return [bytes(r[0]) for r in rows]


def test_old_backups_of_bijlagen_are_shredded_with_their_storage_key(
    app: TestClient, clock: dict[str, datetime], kluis_dir: Path
) -> None:
    sub, status = _melder(app)
    bid = upload(app, sub, status, CANARY * 1000)
    old = backup(app)
    assert old and all(bewaarde_bytes.kid_of(c) == bewaarsleutels.periode(clock["t"]) for c in old)
    assert all(bewaarde_bytes.unwrap_bytes(c) for c in old)  # today the backup still opens

    for _ in range(2):  # two months on, re-keyed each month
        clock["t"] = clock["t"] + timedelta(days=31)
        with database(app).session() as session:
            assert bewaarsleutels.rekey(session) >= 2  # the chunk and the manifest
    with database(app).session() as session:
        assert bewaarsleutels.destroy_old_keys(session) != []
    assert all(bewaarde_bytes.unwrap_bytes(c) == b"" for c in old)  # the backup: nothing
    current = backup(app)
    assert all(bewaarde_bytes.kid_of(c) == bewaarsleutels.periode(clock["t"]) for c in current)

    add_user(app, "anna")
    got = app.get(
        f"/api/v1/loket/meldingen/{sub.melding_id}/bijlagen/{bid}", headers=login(app, "anna")
    )
    assert got.status_code == 200 and got.content == CANARY * 1000
