"""Accepting sealed meldingen: validate the envelope, store once, start the route's clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

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
from backend.storage.models import LoketKey, Melding
from envelope.meldcode import new_meldcode
from envelope.melder_key import melder_recipient
from envelope.sealing import b64e

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
    meldcode: str | None


def _conflict() -> ApiError:
    return ApiError(
        409,
        "idempotency_conflict",
        "Deze sleutel hoort al bij een andere melding.",
        "This idempotency key belongs to a different melding.",
    )


def _check_recipients(session: Session, loket: str, sealed: Sealed, scope: str) -> None:
    kids = {r.kid for r in sealed.recipients}
    known = set(
        session.scalars(
            select(LoketKey.kid).where(LoketKey.loket == loket, LoketKey.eenheid == scope)
        )
    )
    if not kids & known:
        raise ApiError(
            422,
            "wrong_recipient",
            "De melding is niet versleuteld voor dit loket.",
            "The melding is not sealed to a key of this loket.",
        )


def store_melding(
    session: Session, boek: Routeboekje, body: MeldingIn, idempotency_key: str
) -> Stored:
    env = body.envelope
    existing = session.scalars(
        select(Melding).where(Melding.idempotency_key == idempotency_key)
    ).first()
    if existing is not None:
        if existing.id != env.melding_id:
            raise _conflict()
        return Stored(existing, created=False, meldcode=body.meldcode)
    if session.get(Melding, env.melding_id) is not None:
        raise _conflict()
    try:
        scope = key_scope(boek, env.loket, env.eenheid)
    except NoDigitalLoket as exc:
        raise loket_not_digital(422) from exc
    _check_recipients(session, env.loket, body.sealed, scope)
    if body.sealed_identiteit is not None:
        _check_recipients(session, env.loket, body.sealed_identiteit, scope)
    meldcode = body.meldcode or new_meldcode()
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
    melder_public = body.melder_public_key if pending_key is None else pending_key.result()
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
