"""Initial tables: instellingen, loket_keys, meldingen.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.storage.migrations.columns import key_pair_columns

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instellingen",
        sa.Column("naam", sa.String(64), primary_key=True),
        sa.Column("waarde", sa.Text(), nullable=False),
    )
    op.create_table(
        "loket_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("loket", sa.String(40), nullable=False),
        sa.Column("eenheid", sa.String(40), nullable=False),
        *key_pair_columns(),
        sa.UniqueConstraint("kid"),
    )
    op.create_index("ix_loket_keys_loket", "loket_keys", ["loket"])
    op.create_index("ix_loket_keys_eenheid", "loket_keys", ["eenheid"])
    op.create_table(
        "meldingen",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("idempotency_key", sa.String(128), nullable=False, unique=True),
        sa.Column("loket", sa.String(40), nullable=False),
        sa.Column("eenheid", sa.String(40), nullable=False),
        sa.Column("categorie", sa.String(40), nullable=False),
        sa.Column("aangemaakt_op", sa.String(40), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bevestigen_voor", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terugkoppeling_voor", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("receipt_hash", sa.String(128), nullable=False, unique=True),
        sa.Column("sealed", sa.JSON(), nullable=False),
    )
    op.create_index("ix_meldingen_loket", "meldingen", ["loket"])
    op.create_index("ix_meldingen_eenheid", "meldingen", ["eenheid"])
    op.create_index("ix_meldingen_categorie", "meldingen", ["categorie"])


def downgrade() -> None:
    op.drop_table("meldingen")
    op.drop_table("loket_keys")
    op.drop_table("instellingen")
