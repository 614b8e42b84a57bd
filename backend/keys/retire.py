"""Retiring an old loket key: re-wrap what still needs it, then destroy it.

After a rotation the old key pair stays, so that meldingen sealed before the rotation
remain readable. Retiring it:

1. every part sealed to the old key that the loket still handles (content, identity,
   messages of its own meldingen, and its internal notes, also on meldingen it
   forwarded) is re-wrapped for the loket's active key (``add_reader``);
2. the old key's wrap is removed from every part (also from meldingen that were
   forwarded away: those the new loket reads with its own key);
3. the grants of the old key to users, the sessions that may hold it, and the key
   row itself (the private key under the passphrase) are deleted.

Nothing is destroyed unless every part could be re-wrapped (one transaction).
Afterwards the old private key exists nowhere in the live database; backups made
before still hold it (see docs/security.md, "Backups").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.domain.berichten import bericht_header, berichten_of
from backend.domain.bijlagen import all_of as bijlagen_of
from backend.keys.loket_keys import LANDELIJK, active_key, unlock
from backend.keys.rewrap import add_reader, has_reader
from backend.storage.models import KeyGrant, LoketKey, Melding, Sessie
from envelope.bijlagen import bijlage_header
from envelope.sealing import Recipient, SealError, b64d


class RetireError(ValueError):
    """The key cannot be retired (unknown, still active, or a part cannot be re-wrapped)."""


@dataclass(frozen=True)
class RetireReport:
    kid: str
    active_kid: str
    rewrapped: int  # parts now also readable with the active key
    stripped: int  # parts the old key's wrap was removed from
    grants: int
    sessions: int


def retire_key(session: Session, loket: str, scope: str, kid: str, passphrase: str) -> RetireReport:
    row = session.scalars(
        select(LoketKey).where(
            LoketKey.loket == loket, LoketKey.eenheid == scope, LoketKey.kid == kid
        )
    ).first()
    if row is None:
        raise RetireError(f"{loket} {scope} has no key {kid}")
    if row.actief:
        raise RetireError(f"key {kid} is the active key: rotate first (keys rotate)")
    active = active_key(session, loket, scope)
    if active is None:
        raise RetireError(f"{loket} {scope} has no active key to re-wrap for")
    keys = {row.kid: unlock(row, passphrase)}  # raises WrongSecret
    target = Recipient(kid=active.kid, public_key=b64d(active.public_key))
    counts = {"rewrapped": 0, "stripped": 0}

    def move(sealed: Mapping[str, Any], header: Mapping[str, Any], keep: bool) -> dict[str, Any]:
        if not has_reader(sealed, kid):
            return dict(sealed)
        result = dict(sealed)
        if keep:
            try:
                result = add_reader(sealed, header, keys, target)
            except SealError as exc:
                raise RetireError(f"a part cannot be re-wrapped ({exc}); nothing changed") from exc
            counts["rewrapped"] += 1
        result["recipients"] = [r for r in result["recipients"] if r.get("kid") != kid]
        counts["stripped"] += 1
        return result

    for m in session.scalars(select(Melding)):
        own = m.loket == loket and (scope == LANDELIJK or m.eenheid == scope)
        m.sealed = move(m.sealed, m.envelope(), own)
        if m.sealed_identiteit is not None:
            m.sealed_identiteit = move(m.sealed_identiteit, m.part_header("identiteit"), own)
        for b in berichten_of(session, m, include_notes=True):
            header = bericht_header(m, b.id, b.soort)
            b.sealed = move(b.sealed, header, own or b.soort == "notitie")
        for bijlage in bijlagen_of(session, m.id):  # their manifests hold the file keys
            bijlage.manifest = move(bijlage.manifest, bijlage_header(m.envelope(), bijlage.id), own)
    holders = list(
        session.scalars(select(KeyGrant.gebruiker_id).where(KeyGrant.loket_key_id == row.id))
    )
    sessions = 0
    if holders:
        sessions = len(
            list(session.scalars(select(Sessie.id).where(Sessie.gebruiker_id.in_(holders))))
        )
        session.execute(delete(Sessie).where(Sessie.gebruiker_id.in_(holders)))
    session.execute(delete(KeyGrant).where(KeyGrant.loket_key_id == row.id))
    session.delete(row)
    session.flush()
    return RetireReport(
        kid, active.kid, counts["rewrapped"], counts["stripped"], len(holders), sessions
    )
