"""Alembic upgrade and downgrade on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, inspect

from backend.domain.termijnen import add_months
from backend.storage import db
from backend.storage.clock import as_utc
from tests.backend.conftest import AFSPRAKEN


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


# --- 0003: a clock per route -----------------------------------------------------------

RECEIVED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
_OLD = sa.table(
    "meldingen",
    *(
        sa.column(name, sa.String())
        for name in ("id", "idempotency_key", "loket", "eenheid", "categorie", "aangemaakt_op")
    ),
    *(
        sa.column(name, sa.DateTime(timezone=True))
        for name in ("ontvangen_op", "bevestigen_voor", "terugkoppeling_voor", "bevestigd_op")
    ),
    sa.column("status", sa.String()),
    sa.column("receipt_hash", sa.String()),
    sa.column("sealed", sa.JSON()),
)


def _old_melding(nr: int, loket: str, bevestigd_op: datetime | None = None) -> dict[str, object]:
    return {
        "id": f"m{nr}",
        "idempotency_key": f"k{nr}",
        "loket": loket,
        "eenheid": "rotterdam",
        "categorie": "pesten",
        "aangemaakt_op": RECEIVED.isoformat(),
        "ontvangen_op": RECEIVED,
        "bevestigen_voor": RECEIVED + timedelta(days=7),
        "terugkoppeling_voor": add_months(RECEIVED, 3),  # the old rule, for every loket
        "bevestigd_op": bevestigd_op,
        "status": "ontvangen" if bevestigd_op is None else "bevestigd",
        "receipt_hash": f"h{nr}",
        "sealed": {},
    }


def _clocks(url: str) -> dict[str, tuple[str, datetime | None, datetime | None]]:
    engine = create_engine(db.normalize_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT id, termijn_soort, bevestigen_voor, terugkoppeling_voor FROM meldingen"
                )
            ).all()
    finally:
        engine.dispose()
    return {r[0]: (r[1], _utc(r[2]), _utc(r[3])) for r in rows}


def _utc(value: object) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return as_utc(moment)


@pytest.mark.parametrize("with_afspraak", [False, True])
def test_0003_gives_existing_meldingen_the_clock_of_their_route(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, with_afspraak: bool
) -> None:
    url = empty_database_url
    db.upgrade(url, "0002")
    engine = create_engine(db.normalize_url(url))
    with engine.begin() as conn:
        conn.execute(
            _OLD.insert(),
            [
                _old_melding(1, "meldpunt_misstanden"),
                _old_melding(2, "meldpunt_misstanden", bevestigd_op=RECEIVED + timedelta(days=2)),
                _old_melding(3, "vertrouwenspersoon"),
                _old_melding(4, "vik"),
            ],
        )
    engine.dispose()
    if with_afspraak:
        monkeypatch.setenv("MELDWIJZER_TERMIJNEN", str(AFSPRAKEN))
    else:
        monkeypatch.delenv("MELDWIJZER_TERMIJNEN", raising=False)
    db.upgrade(url)
    clocks = _clocks(url)
    confirm = RECEIVED + timedelta(days=7)
    assert clocks["m1"] == ("wet", confirm, add_months(confirm, 3))
    # Confirmed on day 2: feedback 3 months after the confirmation.
    assert clocks["m2"] == ("wet", confirm, add_months(RECEIVED + timedelta(days=2), 3))
    if with_afspraak:
        assert clocks["m3"] == (
            "afspraak",
            RECEIVED + timedelta(days=5),
            RECEIVED + timedelta(days=30),
        )
        assert clocks["m4"] == (
            "afspraak",
            RECEIVED + timedelta(days=5),
            RECEIVED + timedelta(days=42),
        )
    else:
        assert clocks["m3"] == ("geen", None, None)
        assert clocks["m4"] == ("geen", None, None)

    db.downgrade(url, "0002")
    assert "termijn_soort" not in _columns(url, "meldingen")
    engine = create_engine(db.normalize_url(url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT bevestigen_voor, terugkoppeling_voor FROM meldingen"))
        assert all(b is not None and t is not None for b, t in rows)
    engine.dispose()
