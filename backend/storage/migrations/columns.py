"""Column sets that more than one migration creates (the same definitions, one place).

Only for building tables in migrations; the result is exactly the columns each
migration wrote out before, in the same order.
"""

from __future__ import annotations

import sqlalchemy as sa


def key_pair_columns() -> list[sa.Column]:
    """An X25519 key pair whose private half is protected by a passphrase or password."""
    return [
        sa.Column("kid", sa.String(32), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("protected_private_key", sa.JSON(), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    ]
