"""Accepting sealed meldingen: validate the envelope, store once, start the route's clock."""

from __future__ import annotations

import hmac
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.api.errors import ApiError, loket_not_digital
from backend.api.schemas.meldingen import MeldingIn, Sealed
from backend.domain.audit import record
from backend.domain.termijnen import clock_for
from backend.keys.kdf_gate import kdf_slot
from backend.keys.loket_keys import NoDigitalLoket, key_scope
from backend.keys.meldcode_hash import hash_meldcode, meldcode_salt
from backend.routing.routeboekje import Routeboekje
from backend.storage.clock import as_utc
from backend.storage.models import LoketKey, Melding
from envelope.melder_key import melder_recipient
from envelope.sealing import b64d, b64e, key_id

# A key replaced by a rotation still takes new meldingen this long (outbox delays).
ROTATION_GRACE = timedelta(days=7)
# The melder key is not known yet (the backend derives it): recipients checked later.
_ANY_MELDER = "*"

# Without a melder key from the client, its derivation and the meldcode hash (both
# deliberately slow scrypt) run side by side: hashlib.scrypt releases the GIL.
_KDF_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="melder-kdf")


def _melder_public_key(meldcode: str, melding_id: str) -> str:
    with kdf_slot():
        return b64e(melder_recipient(meldcode, melding_id).public_key)


@dataclass(frozen=True)
class Stored:
    melding: Melding
    created: bool
    meldcode: str


def _conflict() -> ApiError:
    return ApiError(
        409,
        "idempotency_conflict",
        "Deze sleutel hoort al bij een andere melding.",
        "This idempotency key belongs to a different melding.",
    )


def _refuse(code: str, nl: str, en: str) -> ApiError:
    return ApiError(422, code, nl, en)


def _loket_kids(session: Session, loket: str, scope: str, now: datetime) -> set[str]:
    """Key ids a new melding may be sealed to: the active key of this loket, and a key
    replaced less than ROTATION_GRACE ago (a melding sealed just before a rotation may
    still wait in an action-server outbox)."""
    keys = list(
        session.scalars(
            select(LoketKey)
            .where(LoketKey.loket == loket, LoketKey.eenheid == scope)
            .order_by(LoketKey.id)
        )
    )
    current = {k.kid for k in keys if k.actief}
    for older, newer in zip(keys, keys[1:], strict=False):
        if now - as_utc(newer.aangemaakt_op) < ROTATION_GRACE:
            current.add(older.kid)
    return current


def _check_recipients(sealed: Sealed, loket_kids: set[str], melder_kid: str | None) -> None:
    """At least one current key of this loket, and nobody but that loket and the melder."""
    kids = {r.kid for r in sealed.recipients}
    if not kids & loket_kids:
        raise _refuse(
            "wrong_recipient",
            "De melding is niet versleuteld voor een geldige sleutel van dit loket.",
            "The melding is not sealed to a current key of this loket.",
        )
    if melder_kid == _ANY_MELDER:
        return  # checked again once the backend derived the melder key
    strangers = kids - loket_kids - ({melder_kid} if melder_kid else set())
    if strangers:
        raise _refuse(
            "unknown_recipient",
            "De melding is ook versleuteld voor een onbekende sleutel.",
            "The melding is also sealed to a key that is neither this loket's nor the melder's.",
        )


def _replay(session: Session, existing: Melding, body: MeldingIn) -> Stored:
    """The same request again (a retry): the same answer, if it really is the same melding."""
    same = (
        existing.id == body.envelope.melding_id
        and existing.kop == body.envelope.model_dump()
        # The content, not the recipients: forwarding and re-wrapping add those later.
        and existing.sealed.get("ciphertext") == body.sealed.ciphertext
        and existing.sealed.get("nonce") == body.sealed.nonce
        and hmac.compare_digest(
            existing.meldcode_hash, hash_meldcode(body.meldcode, meldcode_salt(session))
        )
    )
    if not same:
        raise _conflict()
    return Stored(existing, created=False, meldcode=body.meldcode)


def store_melding(
    session: Session, boek: Routeboekje, body: MeldingIn, idempotency_key: str
) -> Stored:
    env = body.envelope
    existing = session.scalars(
        select(Melding).where(Melding.idempotency_key == idempotency_key)
    ).first()
    if existing is not None:
        return _replay(session, existing, body)
    if session.get(Melding, env.melding_id) is not None:
        raise _conflict()
    try:
        scope = key_scope(boek, env.loket, env.eenheid)
    except NoDigitalLoket as exc:
        raise loket_not_digital(422) from exc
    loket_kids = _loket_kids(session, env.loket, scope, datetime.now(UTC))
    given_melder_kid = (
        key_id(b64d(body.melder_public_key)) if body.melder_public_key is not None else None
    )
    # Cheap checks first: a melding no loket could open costs no scrypt.
    _check_recipients(body.sealed, loket_kids, given_melder_kid or _ANY_MELDER)
    if body.sealed_identiteit is not None:
        _check_recipients(body.sealed_identiteit, loket_kids, None)
    meldcode = body.meldcode
    salt = meldcode_salt(session)
    # A melder key from the client was derived from the meldcode by the client, which
    # sealed the content to it. Deriving it again would cost a second slow scrypt per
    # melding on the busiest path; it is checked, and corrected, when the melder first
    # follows up (backend/api/melder.py, _melder_key). Without one we derive it here, side by
    # side with the meldcode hash.
    pending_key = (
        None
        if body.melder_public_key is not None
        else _KDF_POOL.submit(_melder_public_key, meldcode, env.melding_id)
    )
    meldcode_hash = hash_meldcode(meldcode, salt)
    if pending_key is None:
        melder_public = str(body.melder_public_key)
    else:
        melder_public = pending_key.result()
        _check_recipients(body.sealed, loket_kids, key_id(b64d(melder_public)))
    ontvangen_op = datetime.now(UTC)
    # The route decides the clock: the legal term, an afspraak, or none.
    klok = clock_for(boek.termijn_regel(env.loket), ontvangen_op)
    melding = Melding(
        id=env.melding_id,
        idempotency_key=idempotency_key,
        loket=env.loket,
        eenheid=env.eenheid,
        categorie=env.categorie,
        aangemaakt_op=env.aangemaakt_op,
        ontvangen_op=ontvangen_op,
        termijn_soort=klok.soort,
        bevestigen_voor=klok.bevestigen_voor,
        terugkoppeling_voor=klok.terugkoppeling_voor,
        status="ontvangen",
        meldcode_hash=meldcode_hash,
        sealed=body.sealed.model_dump(),
        kop=env.model_dump(),
        melder_public_key=melder_public,
        toestemming_doorsturen=body.toestemming_doorsturen,
        sealed_identiteit=(
            body.sealed_identiteit.model_dump() if body.sealed_identiteit is not None else None
        ),
    )
    session.add(melding)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ApiError(
            409,
            "duplicate",
            "Deze melding of meldcode bestaat al. Probeer het opnieuw.",
            "This melding or meldcode already exists. Try again.",
        ) from exc
    record(session, "melder", "melding_ontvangen", melding.id, loket=melding.loket)
    return Stored(melding, created=True, meldcode=meldcode)
