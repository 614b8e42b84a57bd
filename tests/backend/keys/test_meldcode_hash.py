"""backend/keys/meldcode_hash.py: one salt per installation, also when workers race."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from backend.keys import meldcode_hash
from backend.keys.meldcode_hash import ensure_meldcode_salt, meldcode_salt
from backend.storage import db as dbmod


def _database(tmp_path: Path) -> dbmod.Database:
    url = f"sqlite:///{tmp_path / 'salt.db'}"
    dbmod.upgrade(url)
    return dbmod.Database(url)


def test_two_workers_starting_together_share_one_salt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of the race sees no row, inserts, clashes, and then reads the winner's."""
    database = _database(tmp_path)
    ensure_meldcode_salt(database)  # the other worker was first
    with database.session() as session:
        first = meldcode_salt(session)
    real_get = Session.get
    calls = {"n": 0}

    def blind_once(self: Session, entity: object, ident: object, **kw: object) -> object:
        calls["n"] += 1
        return None if calls["n"] == 1 else real_get(self, entity, ident, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "get", blind_once)
    ensure_meldcode_salt(database)  # must not raise
    monkeypatch.undo()
    assert calls["n"] == 2
    with database.session() as session:
        assert meldcode_salt(session) == first


def test_salt_is_created_once_and_kept(tmp_path: Path) -> None:
    database = _database(tmp_path)
    ensure_meldcode_salt(database)
    with database.session() as session:
        salt = meldcode_salt(session)
    ensure_meldcode_salt(database)
    with database.session() as session:
        assert meldcode_salt(session) == salt and len(salt) == 16
    assert meldcode_hash.hash_meldcode("7KQ4-M2XD-9RTA-HB3C", salt).startswith("scrypt$")
