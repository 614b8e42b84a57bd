"""Security review (issue #13, findings 6 and 7): idle timeout of loket sessions and
the statistics that are published once per closed quarter.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessies") as batch:
        batch.add_column(sa.Column("laatst_actief_op", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "statistiek_publicaties",
        sa.Column("periode", sa.String(16), primary_key=True),
        sa.Column("gepubliceerd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tabellen", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("statistiek_publicaties")
    with op.batch_alter_table("sessies") as batch:
        batch.drop_column("laatst_actief_op")
