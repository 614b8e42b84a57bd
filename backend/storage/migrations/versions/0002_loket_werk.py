"""Loket work: melder key and consent, messages, users, key grants, sessions, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.storage.migrations.columns import key_pair_columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_MELDING_COLUMNS = (
    "kop",
    "melder_public_key",
    "toestemming_doorsturen",
    "sealed_identiteit",
    "bevestigd_op",
    "teruggekoppeld_op",
    "afgerond_op",
    "ingetrokken_op",
    "doorverwezen_van",
)

_PG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""

_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def upgrade() -> None:
    with op.batch_alter_table("meldingen") as batch:
        batch.add_column(sa.Column("kop", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("melder_public_key", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column(
                "toestemming_doorsturen",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch.add_column(sa.Column("sealed_identiteit", sa.JSON(), nullable=True))
        for name in ("bevestigd_op", "teruggekoppeld_op", "afgerond_op", "ingetrokken_op"):
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("doorverwezen_van", sa.String(40), nullable=True))
        batch.create_index("ix_meldingen_status", ["status"])

    op.create_table(
        "berichten",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "melding_id",
            sa.String(36),
            sa.ForeignKey("meldingen.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("van", sa.String(16), nullable=False),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("verzonden_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gebruiker_id", sa.Integer(), nullable=True),
        sa.Column("sealed", sa.JSON(), nullable=False),
    )
    op.create_index("ix_berichten_melding_id", "berichten", ["melding_id"])

    op.create_table(
        "gebruikers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("naam", sa.String(80), nullable=False, unique=True),
        sa.Column("loket", sa.String(40), nullable=False),
        sa.Column("eenheid", sa.String(40), nullable=False),
        sa.Column("rol", sa.String(16), nullable=False),
        *key_pair_columns(),
    )
    op.create_index("ix_gebruikers_loket", "gebruikers", ["loket"])

    op.create_table(
        "sleutel_toegang",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "gebruiker_id",
            sa.Integer(),
            sa.ForeignKey("gebruikers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "loket_key_id",
            sa.Integer(),
            sa.ForeignKey("loket_keys.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sealed", sa.JSON(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("gebruiker_id", "loket_key_id"),
    )
    op.create_index("ix_sleutel_toegang_gebruiker_id", "sleutel_toegang", ["gebruiker_id"])
    op.create_index("ix_sleutel_toegang_loket_key_id", "sleutel_toegang", ["loket_key_id"])

    op.create_table(
        "sessies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "gebruiker_id",
            sa.Integer(),
            sa.ForeignKey("gebruikers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sleutels", sa.JSON(), nullable=False),
    )
    op.create_index("ix_sessies_gebruiker_id", "sessies", ["gebruiker_id"])

    op.create_table(
        "audit_log",
        sa.Column("volgnummer", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("tijdstip", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("actie", sa.String(40), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("vorige_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_audit_log_melding_id", "audit_log", ["melding_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.drop_table("audit_log")
    op.drop_table("sessies")
    op.drop_table("sleutel_toegang")
    op.drop_table("gebruikers")
    op.drop_table("berichten")
    with op.batch_alter_table("meldingen") as batch:
        batch.drop_index("ix_meldingen_status")
        for name in _MELDING_COLUMNS:
            batch.drop_column(name)
