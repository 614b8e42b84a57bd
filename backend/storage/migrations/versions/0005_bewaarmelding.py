"""Issue #14 point 1: bewaarmeldingen (sealed to the melder only) and the original
"vastgelegd op" time of a melding sent from one.

Revision ID: 0005_bewaarmelding
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_bewaarmelding"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bewaarmeldingen",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("melder_sleutel", sa.String(128), nullable=False, unique=True),
        sa.Column("sealed", sa.JSON(), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_bewaarmeldingen_verloopt_op", "bewaarmeldingen", ["verloopt_op"])
    with op.batch_alter_table("meldingen") as batch:
        batch.add_column(sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meldingen") as batch:
        batch.drop_column("vastgelegd_op")
    op.drop_index("ix_bewaarmeldingen_verloopt_op", table_name="bewaarmeldingen")
    op.drop_table("bewaarmeldingen")
