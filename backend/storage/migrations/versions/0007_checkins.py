"""Check-ins after a melding (issue #14 point 3): the melder's sealed answer per moment
(1, 3 or 6 months) and the clear-text retaliation signal for the loket's clock list.

Revision ID: 0007_checkins
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_checkins"
down_revision = "0006_ontvangstbewijs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "melding_id",
            sa.String(36),
            sa.ForeignKey("meldingen.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("moment", sa.Integer(), nullable=False),
        sa.Column("beantwoord_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nadelige_gevolgen", sa.Boolean(), nullable=False),
        sa.Column("sealed", sa.JSON(), nullable=False),
        sa.UniqueConstraint("melding_id", "moment"),
    )
    op.create_index("ix_checkins_melding_id", "checkins", ["melding_id"])


def downgrade() -> None:
    op.drop_index("ix_checkins_melding_id", table_name="checkins")
    op.drop_table("checkins")
