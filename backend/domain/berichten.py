"""Messages, aanvullingen and internal notes: sealed in memory, never stored in clear.

Messages between loket and melder (and the melder's aanvullingen) are sealed to
the handling loket's active key and to the melder's public key; notes only to
the loket key. The associated data binds each text to its melding, its id and
its kind, so a row cannot be moved to another melding or relabelled.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.api.errors import ApiError
from backend.keys.loket_keys import active_key, key_scope
from backend.routing.routeboekje import Routeboekje
from backend.storage.models import Bericht, LoketKey, Melding
from envelope.sealing import (
    FORMAT_VERSION,
    Recipient,
    b64d,
    key_id,
    open_sealed,
    recipient_kids,
    seal,
)

MAX_TEKST = 5000
Van = Literal["loket", "melder"]
Soort = Literal["bericht", "aanvulling", "notitie"]


def melder_recipient_of(melding: Melding) -> Recipient | None:
    if not melding.melder_public_key:
        return None
    public = b64d(melding.melder_public_key)
    return Recipient(kid=key_id(public), public_key=public)


def handling_key(session: Session, boek: Routeboekje, melding: Melding) -> LoketKey:
    row = active_key(session, melding.loket, key_scope(boek, melding.loket, melding.eenheid))
    if row is None:
        raise ApiError(
            409,
            "loket_zonder_sleutel",
            "Dit loket heeft geen actieve sleutel. Neem contact op met de beheerder.",
            "The handling loket has no active key. Contact the administrator.",
        )
    return row


def bericht_header(melding: Melding, bericht_id: str, soort: str) -> dict[str, str]:
    return melding.part_header(soort, bericht_id=bericht_id)


def add_text(
    session: Session,
    boek: Routeboekje,
    melding: Melding,
    tekst: str,
    van: Van,
    soort: Soort,
    now: datetime,
    gebruiker_id: int | None = None,
) -> Bericht:
    loket_key = handling_key(session, boek, melding)
    recipients = [Recipient(kid=loket_key.kid, public_key=b64d(loket_key.public_key))]
    melder = melder_recipient_of(melding)
    if soort != "notitie" and melder is not None:
        recipients.append(melder)
    bericht_id = str(uuid.uuid4())
    plaintext = json.dumps({"tekst": tekst}, ensure_ascii=False).encode("utf-8")
    row = Bericht(
        id=bericht_id,
        melding_id=melding.id,
        van=van,
        soort=soort,
        verzonden_op=now,
        gebruiker_id=gebruiker_id,
        sealed=seal(plaintext, bericht_header(melding, bericht_id, soort), recipients),
    )
    session.add(row)
    session.flush()
    return row


def add_sealed_text(
    session: Session,
    boek: Routeboekje,
    melding: Melding,
    bericht_id: str,
    sealed: dict[str, Any],
    soort: Soort,
    now: datetime,
) -> Bericht:
    """Store a melder's message sealed on the melder's side (current meldcodes).

    The backend cannot open it; it checks that it is wrapped for the handling loket's
    active key and for the melder's key, so both can read it.
    """
    loket_key = handling_key(session, boek, melding)
    melder = melder_recipient_of(melding)
    kids = recipient_kids(sealed)
    current = sealed.get("v") == FORMAT_VERSION  # new parts are never sealed in mw1
    if not current or loket_key.kid not in kids or melder is None or melder.kid not in kids:
        raise ApiError(
            422,
            "verkeerd_versleuteld",
            "Je bericht is niet goed versleuteld voor het loket. Probeer het opnieuw.",
            "The message is not sealed to the loket's active key and the melder's key.",
        )
    try:
        bericht_id = str(uuid.UUID(bericht_id))
    except ValueError as exc:
        raise ApiError(422, "bericht_id", "Ongeldig bericht.", "Invalid bericht_id.") from exc
    if session.get(Bericht, bericht_id) is not None:
        raise ApiError(409, "bericht_bestaat", "Dit bericht is al verstuurd.", "Duplicate id.")
    row = Bericht(
        id=bericht_id,
        melding_id=melding.id,
        van="melder",
        soort=soort,
        verzonden_op=now,
        sealed=sealed,
    )
    session.add(row)
    session.flush()
    return row


def open_text(melding: Melding, bericht: Bericht, private_key: bytes) -> str:
    plain = open_sealed(
        bericht.sealed, bericht_header(melding, bericht.id, bericht.soort), private_key
    )
    tekst = json.loads(plain)["tekst"]
    return str(tekst)


def berichten_of(session: Session, melding: Melding, include_notes: bool) -> list[Bericht]:
    query = select(Bericht).where(Bericht.melding_id == melding.id)
    if not include_notes:
        query = query.where(Bericht.soort != "notitie")
    return list(session.scalars(query.order_by(Bericht.verzonden_op, Bericht.id)))
