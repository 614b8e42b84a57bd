"""Loket key rotation: a new key pair, granted to every user of the loket.

The current passphrase must open the active key (proof of control); the new
private key is stored under the same or a new passphrase. Users get the new key
by sealing it to their public keys, so they need not be present. Optionally the
data keys of existing meldingen are re-wrapped for the new key, after which the
old key can be retired.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.accounts.gebruikers import users_of_scope
from backend.domain.berichten import bericht_header, berichten_of
from backend.domain.bijlagen import all_of as bijlagen_of
from backend.keys.grants import grant, scope_keys, unlock_scope
from backend.keys.loket_keys import LANDELIJK, active_key, generate_key_pair, unlock
from backend.keys.rewrap import add_reader
from backend.storage.models import LoketKey, Melding
from envelope.bijlagen import bijlage_header
from envelope.sealing import Recipient, SealError, b64d


class NoActiveKey(LookupError):
    """The loket has no key to rotate."""


@dataclass(frozen=True)
class RotationReport:
    old_kid: str
    new_kid: str
    users: int
    rewrapped: int


def rotate(
    session: Session,
    loket: str,
    scope: str,
    passphrase: str,
    new_passphrase: str | None = None,
    rewrap: bool = False,
) -> RotationReport:
    old = active_key(session, loket, scope)
    if old is None:
        raise NoActiveKey(f"{loket} {scope} has no key")
    unlock(old, passphrase)  # raises WrongSecret
    opened = unlock_scope(scope_keys(session, loket, scope), passphrase) if rewrap else {}
    new, private = generate_key_pair(session, loket, scope, new_passphrase or passphrase)
    users = users_of_scope(session, loket, scope)
    for gebruiker in users:
        grant(session, gebruiker, new, private)
    rewrapped = 0
    if rewrap:
        kids = {
            row.kid: opened[row.id] for row in session.scalars(select(LoketKey)) if row.id in opened
        }
        recipient = Recipient(kid=new.kid, public_key=b64d(new.public_key))
        query = select(Melding).where(Melding.loket == loket)
        if scope != LANDELIJK:
            query = query.where(Melding.eenheid == scope)
        for m in session.scalars(query):
            m.sealed = add_reader(m.sealed, m.envelope(), kids, recipient)
            if m.sealed_identiteit is not None:
                m.sealed_identiteit = add_reader(
                    m.sealed_identiteit, m.part_header("identiteit"), kids, recipient
                )
            for b in berichten_of(session, m, include_notes=True):
                with contextlib.suppress(SealError):  # e.g. notes of a forwarding loket
                    b.sealed = add_reader(
                        b.sealed, bericht_header(m, b.id, b.soort), kids, recipient
                    )
            for bijlage in bijlagen_of(session, m.id):
                bijlage.manifest = add_reader(
                    bijlage.manifest, bijlage_header(m.envelope(), bijlage.id), kids, recipient
                )
            rewrapped += 1
    session.flush()
    return RotationReport(old.kid, new.kid, len(users), rewrapped)
