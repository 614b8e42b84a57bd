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
from envelope.melder_auth import submission_message
from envelope.melder_key import melder_recipient, verify_signature, x25519_from_ed25519
from envelope.sealing import FORMAT_VERSION, b64d, b64e, key_id, recipient_kids

# A key replaced by a rotation still takes new meldingen this long (outbox delays).
ROTATION_GRACE = timedelta(days=7)
# The melder key is not known yet (checked once it is): only the loket part is checked.
_ANY_MELDER = "*"

# Older meldcodes only: the melder key derivation and the meldcode hash (both
# deliberately slow scrypt) run side by side: hashlib.scrypt releases the GIL.
_KDF_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="melder-kdf")
# How the melder's verifier is stored in meldingen.receipt_hash for current meldcodes.
SLEUTEL_PREFIX = "ed25519$"


def _melder_public_key(meldcode: str, melding_id: str) -> str:
    with kdf_slot():
        return b64e(melder_recipient(meldcode, melding_id).public_key)


def melder_key_mismatch() -> ApiError:
    return ApiError(
        422,
        "melder_sleutel_past_niet",
        "De sleutel bij je meldcode past niet bij deze melding. Je melding is niet "
        "opgeslagen. Probeer het opnieuw.",
        "The melder key does not fit this melding (signature, derived key or sealing). "
        "The melding was not stored.",
    )


def _melder_verifier(session: Session, body: MeldingIn) -> tuple[str, str]:
    """(stored verifier, melder X25519 public key), after checking that they fit.

    Current clients: the X25519 key is computed here from the Ed25519 ``melder_sleutel``,
    the signature proves the client holds its private half, and the content must be
    sealed to it. Older clients (16-character meldcode): the backend derives the key
    from the code, as it used to, and refuses a client key that differs.
    """
    env = body.envelope
    if body.melder_sleutel is not None:
        parts = [body.sealed, *([body.sealed_identiteit] if body.sealed_identiteit else [])]
        if any(part.v != FORMAT_VERSION for part in parts):
            raise ApiError(
                422,
                "verouderd_formaat",
                "Je melding is op een verouderde manier versleuteld. Probeer het opnieuw.",
                f"A current client seals in format {FORMAT_VERSION}.",
            )
        sleutel = b64d(body.melder_sleutel)
        try:
            public = x25519_from_ed25519(sleutel)
        except ValueError as exc:
            raise melder_key_mismatch() from exc
        signed = submission_message(env.melding_id, body.sealed.stored())
        if not verify_signature(sleutel, b64d(body.melder_handtekening or ""), signed):
            raise melder_key_mismatch()
        if body.melder_public_key not in (None, b64e(public)):
            raise melder_key_mismatch()
        verifier, melder_public = SLEUTEL_PREFIX + body.melder_sleutel, b64e(public)
    else:
        assert body.meldcode is not None  # noqa: S101 - MeldingIn guarantees one of both
        pending = _KDF_POOL.submit(_melder_public_key, body.meldcode, env.melding_id)
        verifier = hash_meldcode(body.meldcode, meldcode_salt(session))
        melder_public = pending.result()
        if body.melder_public_key not in (None, melder_public):
            raise melder_key_mismatch()
    if key_id(b64d(melder_public)) not in recipient_kids(body.sealed.stored()):
        raise melder_key_mismatch()
    return verifier, melder_public


@dataclass(frozen=True)
class Stored:
    melding: Melding
    created: bool
    meldcode: str | None  # only an older client's 16-character meldcode, echoed


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


def _same_melder(session: Session, existing: Melding, body: MeldingIn) -> bool:
    if body.melder_sleutel is not None:
        return hmac.compare_digest(existing.meldcode_hash, SLEUTEL_PREFIX + body.melder_sleutel)
    assert body.meldcode is not None  # noqa: S101 - MeldingIn guarantees one of both
    return hmac.compare_digest(
        existing.meldcode_hash, hash_meldcode(body.meldcode, meldcode_salt(session))
    )


def _replay(session: Session, existing: Melding, body: MeldingIn) -> Stored:
    """The same request again (a retry): the same answer, if it really is the same melding
    from the same melder."""
    same = (
        existing.id == body.envelope.melding_id
        and existing.kop == body.envelope.model_dump()
        # The content, not the recipients: forwarding and re-wrapping add those later.
        and existing.sealed.get("ciphertext") == body.sealed.ciphertext
        and existing.sealed.get("nonce") == body.sealed.nonce
        and _same_melder(session, existing, body)
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
    # Cheap checks first: a melding no loket could open costs no key work.
    _check_recipients(body.sealed, loket_kids, _ANY_MELDER)
    if body.sealed_identiteit is not None:
        _check_recipients(body.sealed_identiteit, loket_kids, None)
    # Then the melder's key (signature, or an older meldcode's slow derivation), and
    # only then: nobody but that loket and that melder.
    meldcode_hash, melder_public = _melder_verifier(session, body)
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
        sealed=body.sealed.stored(),
        kop=env.model_dump(),
        melder_public_key=melder_public,
        toestemming_doorsturen=body.toestemming_doorsturen,
        sealed_identiteit=(
            body.sealed_identiteit.stored() if body.sealed_identiteit is not None else None
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
    return Stored(melding, created=True, meldcode=body.meldcode)
