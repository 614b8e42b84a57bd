"""Bijlagen: files a melder adds to a melding, stored as ciphertext only (format mwf1).

Life of a bijlage (docs/bijlagen.md):

1. ``begin``: the melder (signed request) announces one file: its sealed manifest
   (checked to be wrapped for the handling loket's active key and the melder's key),
   the ciphertext size and the number of chunks. Quotas are checked here. The answer
   carries a random upload token; the backend keeps only its SHA-256.
2. ``put_chunk``: chunks by number, in any order, idempotent (the same bytes again
   are fine, other bytes for a stored number are refused), so an interrupted upload
   resumes with the chunks that are missing (``received``).
3. ``finish``: the total size and the SHA-256 of the whole ciphertext must match what
   arrived; only then is the bijlage ``compleet`` and part of the melding.
4. An upload that is not finished before ``verloopt_op`` is removed (``cleanup``), as
   is one the melder discards (``discard``). Retention shreds and deletes bijlagen with
   their melding (``shred``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from backend.api.errors import ApiError
from backend.domain.berichten import handling_key, melder_recipient_of
from backend.keys.rewrap import add_reader, open_with_any
from backend.routing.routeboekje import Routeboekje
from backend.storage.clock import as_utc
from backend.storage.models import Bijlage, BijlageDeel, Melding
from envelope.bijlagen import (
    CHUNK_CIPHERTEXT,
    TAG_BYTES,
    Manifest,
    bijlage_header,
    ciphertext_size,
    decrypt_content,
)
from envelope.sealing import FORMAT_VERSION, Recipient, SealError, recipient_kids

# Quotas per melding (shown to the melder up front; docs/bijlagen.md).
MAX_BESTANDEN = 10
MAX_BESTAND_BYTES = 20 * 1024 * 1024  # plaintext
MAX_TOTAAL_BYTES = 100 * 1024 * 1024  # plaintext, all bijlagen of one melding
MAX_OPEN_UPLOADS = 3
UPLOAD_GELDIG = timedelta(hours=24)
SHREDDED = {"v": "mw1", "alg": "shredded", "nonce": "", "ciphertext": "", "recipients": []}


def error(status: int, code: str, nl: str, en: str) -> ApiError:
    return ApiError(status, code, nl, en)


NOT_FOUND = error(
    404,
    "bijlage_onbekend",
    "We vinden deze bijlage niet. Begin opnieuw met toevoegen.",
    "Unknown upload, or the upload token does not fit.",
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _in_use(session: Session, melding_id: str) -> tuple[int, int, int]:
    """(number of bijlagen, ciphertext bytes, open uploads) of a melding."""
    count, total = session.execute(
        select(func.count(Bijlage.id), func.coalesce(func.sum(Bijlage.grootte), 0)).where(
            Bijlage.melding_id == melding_id
        )
    ).one()
    open_uploads = session.scalar(
        select(func.count(Bijlage.id)).where(
            Bijlage.melding_id == melding_id, Bijlage.status == "upload"
        )
    )
    return int(count), int(total), int(open_uploads or 0)


def begin(
    session: Session,
    boek: Routeboekje,
    melding: Melding,
    bijlage_id: str,
    manifest: dict[str, Any],
    grootte: int,
    delen: int,
    now: datetime,
) -> tuple[Bijlage, str]:
    """Start an upload; returns the row and the upload token (shown once)."""
    cleanup(session, now)
    if melding.status == "ingetrokken":
        raise error(
            409,
            "melding_ingetrokken",
            "Je hebt deze melding ingetrokken. Je kunt er niets meer aan toevoegen.",
            "This melding was withdrawn; nothing can be added to it.",
        )
    try:
        bijlage_id = str(uuid.UUID(bijlage_id))
    except ValueError as exc:
        raise error(422, "bijlage_id", "Ongeldige bijlage.", "Invalid bijlage_id.") from exc
    if session.get(Bijlage, bijlage_id) is not None:
        raise error(409, "bijlage_bestaat", "Deze bijlage is er al.", "Duplicate bijlage_id.")
    loket_key = handling_key(session, boek, melding)
    melder = melder_recipient_of(melding)
    kids = recipient_kids(manifest)
    if (
        manifest.get("v") != FORMAT_VERSION
        or loket_key.kid not in kids
        or melder is None
        or melder.kid not in kids
    ):
        raise error(
            422,
            "verkeerd_versleuteld",
            "Je bijlage is niet goed versleuteld voor het loket. Probeer het opnieuw.",
            "The manifest is not sealed to the loket's active key and the melder's key.",
        )
    rest = grootte % CHUNK_CIPHERTEXT
    if grootte < TAG_BYTES or delen != _chunks_for(grootte) or 0 < rest < TAG_BYTES:
        raise error(
            422,
            "bijlage_grootte",
            "De grootte van je bijlage klopt niet.",
            "grootte and delen do not fit the mwf1 chunk size.",
        )
    if grootte > ciphertext_size(MAX_BESTAND_BYTES):
        raise error(
            413,
            "bijlage_te_groot",
            f"Dit bestand is te groot. Een bijlage mag hoogstens "
            f"{MAX_BESTAND_BYTES // (1024 * 1024)} MB zijn.",
            f"A bijlage may be at most {MAX_BESTAND_BYTES} bytes.",
        )
    count, total, open_uploads = _in_use(session, melding.id)
    if count >= MAX_BESTANDEN:
        raise error(
            409,
            "te_veel_bijlagen",
            f"Je kunt hoogstens {MAX_BESTANDEN} bijlagen bij een melding doen.",
            f"At most {MAX_BESTANDEN} bijlagen per melding.",
        )
    if total + grootte > ciphertext_size(MAX_TOTAAL_BYTES):
        raise error(
            409,
            "bijlagen_vol",
            "Samen zijn je bijlagen te groot. Er kan niets meer bij.",
            "The bijlagen of this melding would exceed the total quota.",
        )
    if open_uploads >= MAX_OPEN_UPLOADS:
        raise error(
            429,
            "te_veel_uploads",
            "Je bent al een paar bijlagen aan het versturen. Wacht tot die klaar zijn.",
            "Too many unfinished uploads for this melding.",
        )
    token = secrets.token_urlsafe(32)
    row = Bijlage(
        id=bijlage_id,
        melding_id=melding.id,
        status="upload",
        manifest=dict(manifest),
        grootte=grootte,
        delen=delen,
        token_hash=token_hash(token),
        aangemaakt_op=now,
        verloopt_op=now + UPLOAD_GELDIG,
    )
    session.add(row)
    session.flush()
    return row, token


def _chunks_for(ciphertext: int) -> int:
    """Chunks of an mwf1 ciphertext of this size (every chunk but the last is full)."""
    full, rest = divmod(ciphertext, CHUNK_CIPHERTEXT)
    if rest == 0:
        return full
    return full + 1


def upload(session: Session, bijlage_id: str, token: str, now: datetime) -> Bijlage:
    """The unfinished upload of this id and token, else 404 (also when it expired)."""
    row = session.get(Bijlage, bijlage_id)
    if (
        row is None
        or not secrets.compare_digest(row.token_hash, token_hash(token))
        or row.status != "upload"
        or as_utc(row.verloopt_op) <= now
    ):
        raise NOT_FOUND
    return row


def put_chunk(session: Session, row: Bijlage, volgnummer: int, data: bytes) -> bool:
    """Store one chunk; True if new, False if these bytes were there already."""
    if not 0 <= volgnummer < row.delen:
        raise error(422, "deel_nummer", "Dit deel hoort niet bij de bijlage.", "Bad chunk number.")
    last = volgnummer == row.delen - 1
    expected = row.grootte - CHUNK_CIPHERTEXT * (row.delen - 1) if last else CHUNK_CIPHERTEXT
    if len(data) != expected:
        raise error(
            422,
            "deel_grootte",
            "Dit deel van de bijlage heeft niet de goede grootte.",
            f"Chunk {volgnummer} must have {expected} bytes.",
        )
    digest = hashlib.sha256(data).hexdigest()
    existing = session.get(BijlageDeel, (row.id, volgnummer))
    if existing is not None:
        if existing.sha256 != digest:
            raise error(
                409,
                "deel_anders",
                "Dit deel is al ontvangen, met andere inhoud.",
                "This chunk was already stored with other bytes.",
            )
        return False
    session.add(
        BijlageDeel(
            bijlage_id=row.id, volgnummer=volgnummer, grootte=len(data), sha256=digest, inhoud=data
        )
    )
    session.flush()
    return True


def received(session: Session, row: Bijlage) -> list[int]:
    return list(
        session.scalars(
            select(BijlageDeel.volgnummer)
            .where(BijlageDeel.bijlage_id == row.id)
            .order_by(BijlageDeel.volgnummer)
        )
    )


def finish(session: Session, row: Bijlage, grootte: int, sha256: str, now: datetime) -> None:
    """Mark the upload complete if every chunk arrived and size and hash match."""
    if received(session, row) != list(range(row.delen)):
        raise error(
            409,
            "bijlage_onvolledig",
            "Nog niet alle delen van je bijlage zijn aangekomen. Probeer het opnieuw.",
            "Not every chunk has arrived yet.",
        )
    digest = hashlib.sha256()
    total = 0
    for data in _chunks(session, row.id):
        digest.update(data)
        total += len(data)
    if total != row.grootte or grootte != row.grootte or digest.hexdigest() != sha256.lower():
        raise error(
            409,
            "bijlage_klopt_niet",
            "Je bijlage is niet goed aangekomen. Verwijder hem en probeer het opnieuw.",
            "Size or SHA-256 of the received ciphertext does not match.",
        )
    row.sha256 = digest.hexdigest()
    row.status = "compleet"
    row.afgerond_op = now


def _chunks(session: Session, bijlage_id: str) -> Iterator[bytes]:
    """The stored chunks in order, one row in memory at a time."""
    numbers = list(
        session.scalars(
            select(BijlageDeel.volgnummer)
            .where(BijlageDeel.bijlage_id == bijlage_id)
            .order_by(BijlageDeel.volgnummer)
        )
    )
    for n in numbers:
        deel = session.get(BijlageDeel, (bijlage_id, n))
        if deel is None:
            return
        data = bytes(deel.inhoud)
        session.expunge(deel)
        yield data


def _delete(session: Session, ids: list[str]) -> None:
    if not ids:
        return
    session.execute(delete(BijlageDeel).where(BijlageDeel.bijlage_id.in_(ids)))
    session.execute(delete(Bijlage).where(Bijlage.id.in_(ids)))
    session.flush()


def discard(session: Session, row: Bijlage) -> None:
    _delete(session, [row.id])


def cleanup(session: Session, now: datetime) -> int:
    """Remove unfinished uploads whose time is up; the number removed."""
    ids = [
        i
        for i, until in session.execute(
            select(Bijlage.id, Bijlage.verloopt_op).where(Bijlage.status == "upload")
        )
        if as_utc(until) <= now
    ]
    _delete(session, ids)
    return len(ids)


def shred(session: Session, melding_id: str) -> None:
    """Retention: overwrite the manifests (they hold the file keys), then delete all."""
    rows = list(session.scalars(select(Bijlage).where(Bijlage.melding_id == melding_id)))
    for row in rows:
        row.manifest = dict(SHREDDED)
    session.flush()
    _delete(session, [row.id for row in rows])


def complete_of(session: Session, melding_id: str) -> list[Bijlage]:
    return list(
        session.scalars(
            select(Bijlage)
            .where(Bijlage.melding_id == melding_id, Bijlage.status == "compleet")
            .order_by(Bijlage.afgerond_op)
        )
    )


def all_of(session: Session, melding_id: str) -> list[Bijlage]:
    """Every bijlage of a melding, unfinished uploads included (for key rotation)."""
    return list(session.scalars(select(Bijlage).where(Bijlage.melding_id == melding_id)))


def open_manifest(melding: Melding, row: Bijlage, keys: Mapping[str, bytes]) -> Manifest:
    """The manifest, opened with any of the loket keys of this session (SealError if none)."""
    plain = open_with_any(row.manifest, bijlage_header(melding.envelope(), row.id), keys)
    try:
        return Manifest.from_json(json.loads(plain))
    except ValueError as exc:
        raise SealError("the bijlage manifest is not valid") from exc


def plaintext(session: Session, row: Bijlage, manifest: Manifest) -> Iterator[bytes]:
    """The decrypted content, chunk by chunk (SealError if anything does not match)."""
    return decrypt_content(manifest, row.id, _chunks(session, row.id))


def forward(
    session: Session, melding: Melding, keys: Mapping[str, bytes], recipient: Recipient
) -> None:
    """Give the new loket the file keys too (the manifests are re-wrapped; chunks stay)."""
    for row in complete_of(session, melding.id):
        row.manifest = add_reader(
            row.manifest, bijlage_header(melding.envelope(), row.id), keys, recipient
        )
