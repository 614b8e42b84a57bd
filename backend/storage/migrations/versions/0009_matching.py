""" "Niet alleen" matching escrow (issue #15, point 1): entries and the OPRF budget.

Revision ID: 0009_matching
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_matching"
down_revision = "0008_bijlagen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "niet_alleen_vermeldingen",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("melding_id", sa.String(36), sa.ForeignKey("meldingen.id"), nullable=False),
        sa.Column("index", sa.String(64), nullable=False),
        sa.Column("share_x", sa.String(64), nullable=False),
        sa.Column("share_y", sa.String(64), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("match_groep", sa.String(36), nullable=True),
        sa.Column("gematcht_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eenheid", sa.String(40), nullable=True),
        sa.Column("inner", sa.JSON(), nullable=True),
        sa.Column("instemming", sa.Boolean(), nullable=True),
        sa.Column("instemming_op", sa.DateTime(timezone=True), nullable=True),
    )
    for column in ("melding_id", "index", "match_groep", "eenheid"):
        op.create_index(
            f"ix_niet_alleen_vermeldingen_{column}", "niet_alleen_vermeldingen", [column]
        )
    op.create_table(
        "niet_alleen_evaluaties",
        sa.Column("melding_id", sa.String(36), sa.ForeignKey("meldingen.id"), primary_key=True),
        sa.Column("aantal", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("niet_alleen_evaluaties")
    for column in ("melding_id", "index", "match_groep", "eenheid"):
        op.drop_index(f"ix_niet_alleen_vermeldingen_{column}", "niet_alleen_vermeldingen")
    op.drop_table("niet_alleen_vermeldingen")
