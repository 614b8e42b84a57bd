"""Alembic upgrade and downgrade on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from backend.storage import db


def _tables(url: str) -> set[str]:
    engine = create_engine(db.normalize_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _columns(url: str, table: str) -> set[str]:
    engine = create_engine(db.normalize_url(url))
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


NEW_TABLES = {"berichten", "gebruikers", "sleutel_toegang", "sessies", "audit_log"}


def test_upgrade_downgrade_upgrade(empty_database_url: str) -> None:
    url = empty_database_url
    db.upgrade(url)
    assert NEW_TABLES | {"meldingen", "loket_keys", "instellingen"} <= _tables(url)
    assert {"kop", "melder_public_key", "toestemming_doorsturen"} <= _columns(url, "meldingen")
    db.downgrade(url, "0001")
    assert not NEW_TABLES & _tables(url)
    assert "melder_public_key" not in _columns(url, "meldingen")
    db.downgrade(url, "base")
    assert "meldingen" not in _tables(url)
    db.upgrade(url)
    assert _tables(url) >= NEW_TABLES


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, empty SQLite database."""
    return f"sqlite:///{tmp_path / 'test.db'}"


def test_upgrade_then_downgrade_then_upgrade(sqlite_url: str) -> None:
    db.upgrade(sqlite_url)
    tables = set(inspect(create_engine(sqlite_url)).get_table_names())
    assert {"meldingen", "loket_keys", "instellingen"} <= tables
    db.downgrade(sqlite_url, "base")
    assert "meldingen" not in inspect(create_engine(sqlite_url)).get_table_names()
    db.upgrade(sqlite_url)
    assert "meldingen" in inspect(create_engine(sqlite_url)).get_table_names()
