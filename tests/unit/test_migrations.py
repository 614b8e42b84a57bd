"""Alembic migrations go up and down cleanly."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from backend.storage import db


def test_upgrade_then_downgrade_then_upgrade(database_url: str) -> None:
    db.upgrade(database_url)
    tables = set(inspect(create_engine(database_url)).get_table_names())
    assert {"meldingen", "loket_keys", "instellingen"} <= tables
    db.downgrade(database_url, "base")
    assert "meldingen" not in inspect(create_engine(database_url)).get_table_names()
    db.upgrade(database_url)
    assert "meldingen" in inspect(create_engine(database_url)).get_table_names()
