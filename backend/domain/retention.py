"""Retention per loket: crypto-shredding, then deletion.

A melding is due for deletion `bewaartermijn(loket)` days after it was closed
(afgerond) or withdrawn (ingetrokken); open meldingen are never deleted
automatically. Deletion happens in two steps inside one transaction:

1. crypto-shredding: every wrapped data key (the `recipients` of the content,
   the identity and every message and note) and the ciphertext itself are
   overwritten, so the row can never be opened again, whoever holds a key;
2. the rows are deleted (messages by cascade).

The audit log keeps one entry per deleted melding (id only).

Copies in backups are handled by the storage keys (``backend/keys/bewaarsleutels.py``):
``meldwijzer-admin retention run`` also moves every remaining sealed part to this
month's storage key and then destroys the old keys, so a backup taken before the
deletion becomes unreadable within about two months, whoever holds a passphrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.core.config import Settings
from backend.domain import bijlagen
from backend.domain.audit import record
from backend.domain.bewaarmeldingen import delete_expired as delete_expired_bewaarmeldingen
from backend.domain.niet_alleen import delete_niet_alleen
from backend.storage.clock import as_utc
from backend.storage.models import Bericht, Checkin, Melding

SHREDDED = {"v": "mw1", "alg": "shredded", "nonce": "", "ciphertext": "", "recipients": []}


@dataclass
class RetentionReport:
    dry_run: bool
    due: list[tuple[str, str, datetime]] = field(default_factory=list)  # id, loket, closed
    bewaard_verlopen: int = 0  # bewaarmeldingen past their term (docs/bewaarmelding.md)

    @property
    def count(self) -> int:
        return len(self.due)

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        out = [f"{m_id} {loket} closed={closed:%Y-%m-%d}" for m_id, loket, closed in self.due]
        out.append(f"{verb} {self.count} melding(en)")
        if self.bewaard_verlopen:
            out.append(f"{verb} {self.bewaard_verlopen} verlopen bewaarmelding(en)")
        return out


def closed_at(melding: Melding) -> datetime | None:
    moment = melding.afgerond_op or melding.ingetrokken_op
    return as_utc(moment) if moment is not None else None


def expired(session: Session, settings: Settings, now: datetime) -> list[Melding]:
    query = select(Melding).where(Melding.status.in_(("afgerond", "ingetrokken")))
    result = []
    for m in session.scalars(query.order_by(Melding.ontvangen_op)):
        closed = closed_at(m)
        if closed is not None and closed + timedelta(days=settings.bewaartermijn(m.loket)) <= now:
            result.append(m)
    return result


def run_retention(
    session: Session, settings: Settings, now: datetime, dry_run: bool = False
) -> RetentionReport:
    report = RetentionReport(dry_run=dry_run)
    if not dry_run:
        bijlagen.cleanup(session, now)  # unfinished uploads whose time is up
    for m in expired(session, settings, now):
        closed = closed_at(m)
        assert closed is not None
        report.due.append((m.id, m.loket, closed))
        if dry_run:
            continue
        # Step 1: crypto-shredding.
        m.sealed = dict(SHREDDED)
        if m.sealed_identiteit is not None:
            m.sealed_identiteit = dict(SHREDDED)
        for b in session.scalars(select(Bericht).where(Bericht.melding_id == m.id)):
            b.sealed = dict(SHREDDED)
        for c in session.scalars(select(Checkin).where(Checkin.melding_id == m.id)):
            c.sealed = dict(SHREDDED)
        session.flush()
        bijlagen.shred(session, m.id)  # file keys overwritten, chunks deleted
        # Step 2: delete the rows.
        session.execute(delete(Bericht).where(Bericht.melding_id == m.id))
        delete_niet_alleen(session, m.id)
        session.execute(delete(Checkin).where(Checkin.melding_id == m.id))
        session.delete(m)
        session.flush()
        record(session, "systeem", "bewaartermijn_verwijderd", m.id, loket=m.loket, now=now)
    report.bewaard_verlopen = delete_expired_bewaarmeldingen(session, now, dry_run=dry_run)
    return report
