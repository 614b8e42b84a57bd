"""A bewaarmelding: the structured melding sealed to the melder's own key only.

"Write it down now, decide later" (docs/bewaarmelding.md). The melder's side (the
action server during the chat, or the browser on ``/volgen``) seals the melding to
the melder's X25519 key alone — no loket key — with the associated data
``{"bewaar_id": …, "deel": "bewaarmelding"}``, and signs it with the melder's
Ed25519 key. The backend keeps the ciphertext and the public key; nobody but the
holder of the meldcode can open it.

Sending it later turns the record into an ordinary ``mw2`` melding (``verzend_body``):
sealed to the loket's active key and the melder's key, with the bewaarmelding's id as
the melding id, signed like every submission (``envelope/melder_auth.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from envelope.melder_auth import digest, sign_submission
from envelope.melder_key import MelderKeys
from envelope.sealing import Recipient, b64d, b64e, envelope_header, key_id, open_sealed, seal

BEWAAR_CONTEXT = b"meldwijzer/bewaren/v1\x00"
DEEL = "bewaarmelding"


def bewaar_header(bewaar_id: str) -> dict[str, str]:
    """Associated data of the sealed record: binds it to its id."""
    return {"bewaar_id": bewaar_id, "deel": DEEL}


def bewaar_message(bewaar_id: str, sealed: Mapping[str, Any]) -> bytes:
    """What the melder signs when storing a bewaarmelding."""
    return BEWAAR_CONTEXT + f"{bewaar_id}\x00{digest(dict(sealed))}".encode("ascii")


def seal_record(record: Mapping[str, Any], bewaar_id: str, keys: MelderKeys) -> dict[str, Any]:
    """The record sealed to the melder's key only."""
    plaintext = json.dumps(dict(record), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return seal(plaintext, bewaar_header(bewaar_id), [keys.recipient])


def open_record(sealed: Mapping[str, Any], bewaar_id: str, keys: MelderKeys) -> dict[str, Any]:
    """The record, opened with the melder's key (raises SealError when it does not fit)."""
    plain = open_sealed(sealed, bewaar_header(bewaar_id), keys.private_key)
    record: dict[str, Any] = json.loads(plain)
    return record


def bewaar_body(record: Mapping[str, Any], bewaar_id: str, keys: MelderKeys) -> dict[str, Any]:
    """The POST /api/v1/bewaarmeldingen body: sealed record, public key, signature."""
    sealed = seal_record(record, bewaar_id, keys)
    return {
        "bewaar_id": bewaar_id,
        "sealed": sealed,
        "melder_sleutel": b64e(keys.sleutel),
        "melder_handtekening": b64e(keys.sign(bewaar_message(bewaar_id, sealed))),
    }


def melding_met_aanvullingen(record: Mapping[str, Any]) -> dict[str, Any]:
    """The melding as the loket receives it: the stored melding, the additions appended
    to the description (each with its date), the identity left out (sealed apart)."""
    melding = {k: v for k, v in record.items() if k not in ("identiteit", "aanvullingen")}
    extra = [
        f"Aanvulling ({a.get('op', '')[:10]}): {a.get('tekst', '')}"
        for a in record.get("aanvullingen") or []
    ]
    if extra:
        melding["beschrijving"] = "\n\n".join([str(melding.get("beschrijving") or ""), *extra])
    return melding


def verzend_body(
    record: Mapping[str, Any], bewaar_id: str, loket_key: Mapping[str, Any], keys: MelderKeys
) -> dict[str, Any]:
    """The body of POST /api/v1/melder/bewaard/versturen (without the melder's proof):
    the record sealed as an ordinary mw2 melding to the loket's key and the melder's."""
    public = b64d(loket_key["public_key"])
    if key_id(public) != loket_key["kid"]:
        raise ValueError("loket key id does not fit its key")
    melding = {**melding_met_aanvullingen(record), "melding_id": bewaar_id}
    header = envelope_header(melding)
    plaintext = json.dumps(melding, ensure_ascii=False, sort_keys=True).encode("utf-8")
    loket = Recipient(kid=loket_key["kid"], public_key=public)
    sealed = seal(plaintext, header, [loket, keys.recipient])
    body: dict[str, Any] = {
        "envelope": header,
        "sealed": sealed,
        "melder_handtekening": sign_submission(keys, bewaar_id, sealed),
        "toestemming_doorsturen": bool(melding.get("toestemming_doorsturen")),
    }
    identiteit = record.get("identiteit")
    if identiteit:
        details = json.dumps(identiteit, ensure_ascii=False, sort_keys=True).encode("utf-8")
        body["sealed_identiteit"] = seal(details, {**header, "deel": "identiteit"}, [loket])
    return body
