"""A clock per route: termijn_soort on meldingen; deadlines only where the route has them.

Existing meldingen: `wet` for meldpunt_misstanden (and meldingen it forwarded), with
the feedback deadline counted from the confirmation (backend/domain/termijnen.py);
the others `afspraak` if one is configured for their loket (backend/data/termijnen.yaml
plus MELDWIJZER_TERMIJNEN at migration time), else `geen` with both deadlines cleared.
Downgrade puts the old 7-day / 3-month dates back on every melding.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

from backend.domain.termijnen import add_months, clock_for, legal_feedback_after
from backend.routing.termijnregels import WET_LOKETTEN, load_termijnregels, override_path
from backend.storage.clock import as_utc

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_meldingen = sa.table(
    "meldingen",
    sa.column("id", sa.String(36)),
    sa.column("loket", sa.String(40)),
    sa.column("doorverwezen_van", sa.String(40)),
    sa.column("ontvangen_op", sa.DateTime(timezone=True)),
    sa.column("bevestigd_op", sa.DateTime(timezone=True)),
    sa.column("termijn_soort", sa.String(16)),
    sa.column("bevestigen_voor", sa.DateTime(timezone=True)),
    sa.column("terugkoppeling_voor", sa.DateTime(timezone=True)),
)


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def upgrade() -> None:
    with op.batch_alter_table("meldingen") as batch:
        batch.add_column(
            sa.Column("termijn_soort", sa.String(16), nullable=False, server_default="geen")
        )
        batch.alter_column(
            "bevestigen_voor", existing_type=sa.DateTime(timezone=True), nullable=True
        )
        batch.alter_column(
            "terugkoppeling_voor", existing_type=sa.DateTime(timezone=True), nullable=True
        )
    regels = load_termijnregels(override=override_path(os.environ))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _meldingen.c.id,
            _meldingen.c.loket,
            _meldingen.c.doorverwezen_van,
            _meldingen.c.ontvangen_op,
            _meldingen.c.bevestigd_op,
        )
    ).all()
    for row in rows:
        ontvangen_op = as_utc(row.ontvangen_op)
        if row.loket in WET_LOKETTEN or row.doorverwezen_van in WET_LOKETTEN:
            soort = "wet"
            bevestigen_voor: datetime | None = ontvangen_op + timedelta(days=7)
            assert bevestigen_voor is not None
            terugkoppeling_voor: datetime | None = legal_feedback_after(
                bevestigen_voor, _aware(row.bevestigd_op)
            )
        else:
            regel = regels.get(row.loket)
            klok = clock_for(regel, ontvangen_op) if regel is not None else None
            if klok is None or klok.soort == "wet":
                soort, bevestigen_voor, terugkoppeling_voor = "geen", None, None
            else:
                soort = klok.soort
                bevestigen_voor, terugkoppeling_voor = (
                    klok.bevestigen_voor,
                    klok.terugkoppeling_voor,
                )
        bind.execute(
            _meldingen.update()
            .where(_meldingen.c.id == row.id)
            .values(
                termijn_soort=soort,
                bevestigen_voor=bevestigen_voor,
                terugkoppeling_voor=terugkoppeling_voor,
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_meldingen.c.id, _meldingen.c.ontvangen_op)).all()
    for row in rows:
        ontvangen_op = as_utc(row.ontvangen_op)
        bind.execute(
            _meldingen.update()
            .where(_meldingen.c.id == row.id)
            .values(
                bevestigen_voor=ontvangen_op + timedelta(days=7),
                terugkoppeling_voor=add_months(ontvangen_op, 3),
            )
        )
    with op.batch_alter_table("meldingen") as batch:
        batch.alter_column(
            "terugkoppeling_voor", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.alter_column(
            "bevestigen_voor", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.drop_column("termijn_soort")
