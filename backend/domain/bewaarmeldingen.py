"""Bewaarmeldingen: stored sealed to the melder only, sent later, expire after a term.

No loket can open a bewaarmelding (it is wrapped for the melder's key alone, checked
on arrival), none lists or counts it (it lives in its own table, not in
``meldingen``), and it carries nothing in clear but its id, the melder's public key
and three times. Sending it stores an ordinary melding through ``store_melding``
and deletes the record in the same transaction; the melding keeps the original
``vastgelegd_op``, while its clock starts at ``ontvangen_op`` (docs/bewaarmelding.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.api.errors import ApiError
from backend.api.schemas.bewaarmelding import BewaardVerstuurIn, BewaarIn
from backend.api.schemas.meldingen import MeldingIn, Sealed
from backend.domain.audit import record
from backend.domain.meldingen import SLEUTEL_PREFIX, melder_key_mismatch, store_melding
from backend.domain.termijnen import add_months
from backend.routing.routeboekje import Routeboekje
from backend.storage.clock import as_utc
from backend.storage.models import Bewaarmelding, Melding
from envelope.bewaarmelding import bewaar_message
from envelope.melder_key import verify_signature, x25519_from_ed25519
from envelope.sealing import FORMAT_VERSION, b64d, key_id

# ontwerpkeuze: a bewaarmelding is kept twelve months, then deleted (the melder sees
# the date; docs/bewaarmelding.md). Long enough to decide, short enough not to pile up.
BEWAARTERMIJN_MAANDEN = 12
# What a deleted record's ciphertext is overwritten with first (as backend/domain/retention.py).
SHREDDED = {"v": "mw1", "alg": "shredded", "nonce": "", "ciphertext": "", "recipients": []}


def alleen_voor_melder() -> ApiError:
    return ApiError(
        422,
        "niet_alleen_voor_melder",
        "Je bewaarde melding mag alleen met jouw meldcode te openen zijn. Hij is niet "
        "opgeslagen. Probeer het opnieuw.",
        "A bewaarmelding must be sealed to the melder's key only (mw2); it was not stored.",
    )


def _melder_kid(sleutel: str) -> str:
    try:
        return key_id(x25519_from_ed25519(b64d(sleutel)))
    except ValueError as exc:
        raise melder_key_mismatch() from exc


def check_only_melder(sealed: Sealed, sleutel: str) -> None:
    """Sealed in the current format to exactly one key: the melder's."""
    kids = [r.kid for r in sealed.recipients]
    if sealed.v != FORMAT_VERSION or kids != [_melder_kid(sleutel)]:
        raise alleen_voor_melder()


def store_bewaarmelding(session: Session, body: BewaarIn, now: datetime) -> Bewaarmelding:
    check_only_melder(body.sealed, body.melder_sleutel)
    signed = bewaar_message(body.bewaar_id, body.sealed.stored())
    if not verify_signature(b64d(body.melder_sleutel), b64d(body.melder_handtekening), signed):
        raise melder_key_mismatch()
    verifier = SLEUTEL_PREFIX + body.melder_sleutel
    taken = session.scalars(select(Melding.id).where(Melding.meldcode_hash == verifier)).first()
    if taken is not None or session.get(Melding, body.bewaar_id) is not None:
        raise _duplicate()
    bewaar = Bewaarmelding(
        id=body.bewaar_id,
        melder_sleutel=verifier,
        sealed=body.sealed.stored(),
        vastgelegd_op=now,
        verloopt_op=add_months(now, BEWAARTERMIJN_MAANDEN),
    )
    session.add(bewaar)
    try:
        session.flush()
    except IntegrityError as exc:
        raise _duplicate() from exc
    record(session, "melder", "bewaarmelding_opgeslagen", now=now)
    return bewaar


def _duplicate() -> ApiError:
    return ApiError(
        409,
        "bewaarmelding_bestaat",
        "Deze melding of meldcode bestaat al. Probeer het opnieuw.",
        "This bewaarmelding or melder key already exists.",
    )


def find_bewaarmelding(session: Session, sleutel: str, now: datetime) -> Bewaarmelding | None:
    """The live bewaarmelding of this melder key (an expired one counts as gone)."""
    bewaar = session.scalars(
        select(Bewaarmelding).where(Bewaarmelding.melder_sleutel == SLEUTEL_PREFIX + sleutel)
    ).first()
    if bewaar is None or as_utc(bewaar.verloopt_op) <= now:
        return None
    return bewaar


def replace_sealed(bewaar: Bewaarmelding, sealed: Sealed, now: datetime) -> None:
    """The melder added something: the whole record, sealed again to the melder only."""
    check_only_melder(sealed, bewaar.melder_sleutel.removeprefix(SLEUTEL_PREFIX))
    bewaar.sealed = sealed.stored()
    bewaar.bijgewerkt_op = now


def delete_bewaarmelding(session: Session, bewaar: Bewaarmelding) -> None:
    """Shred, then delete (as retention does for meldingen)."""
    bewaar.sealed = dict(SHREDDED)
    session.flush()
    session.delete(bewaar)
    session.flush()


def verstuur(
    session: Session, boek: Routeboekje, bewaar: Bewaarmelding, body: BewaardVerstuurIn
) -> Melding:
    """Turn the bewaarmelding into a melding, in the caller's transaction: stored with
    every check of an ordinary submission, the original time kept, the record deleted."""
    if body.envelope.melding_id != bewaar.id:
        raise ApiError(
            422,
            "ander_id",
            "Deze melding hoort niet bij je bewaarde melding. Probeer het opnieuw.",
            "envelope.melding_id must be the bewaar_id.",
        )
    melding_in = MeldingIn(
        envelope=body.envelope,
        sealed=body.sealed,
        melder_sleutel=bewaar.melder_sleutel.removeprefix(SLEUTEL_PREFIX),
        melder_handtekening=body.melder_handtekening,
        toestemming_doorsturen=body.toestemming_doorsturen,
        sealed_identiteit=body.sealed_identiteit,
    )
    vastgelegd_op = as_utc(bewaar.vastgelegd_op)
    # The record goes first: the melding takes over its melder key.
    delete_bewaarmelding(session, bewaar)
    stored = store_melding(session, boek, melding_in, f"bewaard:{bewaar.id}")
    melding = stored.melding
    melding.vastgelegd_op = vastgelegd_op
    session.flush()
    record(session, "melder", "bewaarmelding_verstuurd", melding.id, loket=melding.loket)
    return melding


def delete_expired(session: Session, now: datetime, dry_run: bool = False) -> int:
    """Retention: every bewaarmelding past its verloopt_op, shredded and deleted."""
    due = list(session.scalars(select(Bewaarmelding).where(Bewaarmelding.verloopt_op <= now)))
    if dry_run:
        return len(due)
    for bewaar in due:
        delete_bewaarmelding(session, bewaar)
    if due:
        record(session, "systeem", "bewaarmeldingen_verlopen", aantal=str(len(due)), now=now)
    return len(due)
