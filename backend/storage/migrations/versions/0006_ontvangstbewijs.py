"""Issue #14 point 2: signed receipts (ontvangstbewijzen) and the keys that sign them.

Revision ID: 0006_ontvangstbewijs
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_ontvangstbewijs"
down_revision = "0005_bewaarmelding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bewijssleutels",
        sa.Column("kid", sa.String(32), primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("omhulde_private_key", sa.JSON(), nullable=True),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ontvangstbewijzen",
        sa.Column(
            "melding_id",
            sa.String(36),
            sa.ForeignKey("meldingen.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("bewijs", sa.JSON(), nullable=False),
        sa.Column("uitgegeven_op", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ontvangstbewijzen")
    op.drop_table("bewijssleutels")
