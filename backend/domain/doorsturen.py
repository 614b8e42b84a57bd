"""Forward a melding to another loket, with the melder's recorded consent.

The data key of the content (and of the messages with the melder, and of the
identity if asked) is re-wrapped for the new loket's active key with
`envelope.sealing.add_recipient`; the ciphertext and the original envelope
header (`Melding.kop`) stay as they were, so decryption keeps working.
Internal notes stay with the forwarding loket. The clock follows the rules in
`backend/domain/termijnen.py` (`on_forwarded`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from backend.api.errors import ApiError, loket_not_digital, loket_without_key
from backend.domain import bijlagen
from backend.domain.berichten import bericht_header, berichten_of
from backend.domain.checkins import checkin_header, checkins_of
from backend.domain.termijnen import on_forwarded
from backend.keys.loket_keys import NoDigitalLoket, active_key, key_scope
from backend.keys.rewrap import add_reader
from backend.routing.codes import LOKETTEN
from backend.routing.routeboekje import Routeboekje
from backend.storage.models import EINDSTATUSSEN, Melding
from envelope.sealing import Recipient, SealError, b64d


def forward(
    session: Session,
    boek: Routeboekje,
    melding: Melding,
    naar: str,
    keys: Mapping[str, bytes],
    identiteit_meesturen: bool,
    now: datetime,
) -> str:
    """Forward ``melding`` to loket ``naar``; return the old loket."""
    if not melding.toestemming_doorsturen:
        raise ApiError(
            409,
            "geen_toestemming",
            "De melder heeft geen toestemming gegeven om door te sturen.",
            "The melder did not consent to forwarding.",
        )
    if melding.status in EINDSTATUSSEN:
        raise ApiError(
            409,
            "melding_gesloten",
            "Deze melding is afgerond of ingetrokken en kan niet worden doorgestuurd.",
            "This melding is closed or withdrawn and cannot be forwarded.",
        )
    if naar not in LOKETTEN or naar == melding.loket:
        raise ApiError(
            422,
            "ongeldig_loket",
            "Kies een ander loket om naar door te sturen.",
            "Choose another, existing loket to forward to.",
        )
    try:
        scope = key_scope(boek, naar, melding.eenheid)
    except NoDigitalLoket as exc:
        raise loket_not_digital(422) from exc
    target = active_key(session, naar, scope)
    if target is None:
        raise loket_without_key(409)
    recipient = Recipient(kid=target.kid, public_key=b64d(target.public_key))
    try:
        melding.sealed = add_reader(melding.sealed, melding.envelope(), keys, recipient)
        for b in berichten_of(session, melding, include_notes=False):
            b.sealed = add_reader(b.sealed, bericht_header(melding, b.id, b.soort), keys, recipient)
        for c in checkins_of(session, melding):  # the check-in answers go along (checkin.md)
            c.sealed = add_reader(c.sealed, checkin_header(melding, c.moment), keys, recipient)
        if identiteit_meesturen and melding.sealed_identiteit is not None:
            melding.sealed_identiteit = add_reader(
                melding.sealed_identiteit, melding.part_header("identiteit"), keys, recipient
            )
        bijlagen.forward(session, melding, keys, recipient)
    except SealError as exc:
        raise ApiError(
            409,
            "sleutel_ontbreekt",
            "Je sessie heeft de sleutel voor deze melding niet. Log opnieuw in.",
            "Your session lacks the key for this melding. Log in again.",
        ) from exc
    old = melding.loket
    melding.doorverwezen_van = old
    melding.loket = naar
    melding.status = "doorverwezen"
    on_forwarded(melding, boek.termijn_regel(naar), now)
    return old
