"""Bijlagen (issue #16): files the melder adds, sealed in the browser (format mwf1).

Revision ID: 0008_bijlagen
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_bijlagen"
down_revision = "0007_checkins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bijlagen",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "melding_id",
            sa.String(36),
            sa.ForeignKey("meldingen.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("grootte", sa.Integer(), nullable=False),
        sa.Column("delen", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("afgerond_op", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "bijlage_delen",
        sa.Column(
            "bijlage_id",
            sa.String(36),
            sa.ForeignKey("bijlagen.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("volgnummer", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("grootte", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("inhoud", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bijlage_delen")
    op.drop_table("bijlagen")
