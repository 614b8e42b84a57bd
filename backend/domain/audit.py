"""Append-only, hash-chained audit log: who did what to which melding, and when.

Each row's hash is SHA-256 over the previous row's hash and the canonical JSON of
the row itself, so changing or deleting any row breaks every later link. Rows
never hold content: only ids, codes and status names.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from backend.storage.clock import utcnow
from backend.storage.models import AuditRegel

GENESIS = "0" * 64
_PG_LOCK_ID = 0x4D57_4155  # "MWAU": serializes appends across backend workers


def canonical(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(vorige_hash: str, row: dict[str, Any]) -> str:
    return hashlib.sha256((vorige_hash + canonical(row)).encode("utf-8")).hexdigest()


def _fields(regel: AuditRegel) -> dict[str, Any]:
    return {
        "volgnummer": regel.volgnummer,
        "tijdstip": regel.tijdstip,
        "actor": regel.actor,
        "actie": regel.actie,
        "melding_id": regel.melding_id,
        "details": regel.details,
    }


def record(
    session: Session,
    actor: str,
    actie: str,
    melding_id: str | None = None,
    now: datetime | None = None,
    **details: str | int | bool | None,
) -> AuditRegel:
    """Append one entry. ``details`` must never contain melding content."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
    last = session.scalars(
        select(AuditRegel).order_by(AuditRegel.volgnummer.desc()).limit(1)
    ).first()
    vorige = last.hash if last is not None else GENESIS
    regel = AuditRegel(
        volgnummer=(last.volgnummer + 1) if last is not None else 1,
        tijdstip=(now or utcnow()).isoformat(),
        actor=actor,
        actie=actie,
        melding_id=melding_id,
        details=canonical(details),
        vorige_hash=vorige,
    )
    regel.hash = row_hash(vorige, _fields(regel))
    session.add(regel)
    session.flush()
    return regel


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    head: str
    broken_at: int | None = None
    reason: str | None = None


def verify(session: Session) -> ChainReport:
    """Walk the chain; report the first broken link (changed, removed or inserted row)."""
    vorige = GENESIS
    expected = 1
    count = 0
    for regel in session.scalars(select(AuditRegel).order_by(AuditRegel.volgnummer)):
        if regel.volgnummer != expected:
            return ChainReport(False, count, vorige, expected, "row missing (deleted)")
        if regel.vorige_hash != vorige:
            return ChainReport(False, count, vorige, regel.volgnummer, "link to previous broken")
        if row_hash(vorige, _fields(regel)) != regel.hash:
            return ChainReport(False, count, vorige, regel.volgnummer, "row changed")
        vorige = regel.hash
        expected += 1
        count += 1
    return ChainReport(True, count, vorige)
