"""What the melder signs, and what the melder's side opens and seals (current meldcodes).

The melder proves the right to a melding by signing with the Ed25519 key derived
from the meldcode (``envelope/melder_key.py``); the backend checks the signature
with the public key it stored. Nothing sent here lets anyone derive the key.

* Submission: the melder signs the melding id and a digest of the sealed content,
  so the backend refuses a melding whose melder key does not fit.
* Follow-up requests: the melder signs the action, a fresh single-use challenge
  from the backend (``POST /api/v1/melder/uitdaging``), its public key and a
  digest of the request body.

Signed bodies carry only ASCII values (ids, base64), so the canonical JSON below
is the same in Python and in the browser (``web/src/volgen.js``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from envelope.melder_key import MelderKeys
from envelope.sealing import Recipient, b64d, b64e, key_id, open_sealed, seal

SUBMISSION_CONTEXT = b"meldwijzer/melding-indienen/v2\x00"
REQUEST_CONTEXT = b"meldwijzer/melder-verzoek/v2\x00"
ACTIES: tuple[str, ...] = (
    "status",
    "berichten",
    "aanvulling",
    "intrekken",
    # A bewaarmelding (envelope/bewaarmelding.py, backend/api/melder_bewaar.py).
    "bewaard_openen",
    "bewaard_aanvullen",
    "bewaard_verwijderen",
    "bewaard_versturen",
    # "Niet alleen" matching (docs/matching.md)
    "niet-alleen-evaluatie",
    "niet-alleen-vermelding",
    "niet-alleen-status",
    "niet-alleen-instemming",
    # Check-ins after a melding (docs/checkin.md).
    "checkin",
    # Bijlagen: files sealed in the browser (docs/bijlagen.md).
    "bijlage",
    "bijlagen",
)


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def submission_message(melding_id: str, sealed: Mapping[str, Any]) -> bytes:
    return SUBMISSION_CONTEXT + f"{melding_id}\x00{digest(dict(sealed))}".encode("ascii")


def sign_submission(keys: MelderKeys, melding_id: str, sealed: Mapping[str, Any]) -> str:
    return b64e(keys.sign(submission_message(melding_id, sealed)))


def request_message(actie: str, uitdaging: str, sleutel: str, body: Mapping[str, Any]) -> bytes:
    if actie not in ACTIES:
        raise ValueError(f"unknown melder action {actie!r}")
    text = f"{actie}\x00{uitdaging}\x00{sleutel}\x00{digest(dict(body))}"
    return REQUEST_CONTEXT + text.encode("ascii")


def signed_request(
    keys: MelderKeys, actie: str, uitdaging: str, body: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The request body with the melder's proof (``bewijs``) added."""
    content = dict(body or {})
    sleutel = b64e(keys.sleutel)
    handtekening = keys.sign(request_message(actie, uitdaging, sleutel, content))
    return {
        **content,
        "bewijs": {"sleutel": sleutel, "uitdaging": uitdaging, "handtekening": b64e(handtekening)},
    }


def bericht_header(kop: Mapping[str, Any], soort: str, bericht_id: str) -> dict[str, Any]:
    """Associated data of a message (same as backend Melding.part_header)."""
    return {**kop, "deel": soort, "bericht_id": bericht_id}


def open_berichten(status: Mapping[str, Any], keys: MelderKeys) -> list[dict[str, Any]]:
    """The messages of a status answer, opened with the melder's key (unreadable ones left out)."""
    from envelope.sealing import SealError

    opened = []
    for bericht in status.get("berichten") or []:
        sealed = bericht.get("sealed")
        if not sealed:
            continue
        try:
            plain = open_sealed(
                sealed,
                bericht_header(status["kop"], bericht["soort"], bericht["id"]),
                keys.private_key,
            )
            tekst = str(json.loads(plain)["tekst"])
        except (SealError, ValueError, KeyError):
            continue
        opened.append({**{k: v for k, v in bericht.items() if k != "sealed"}, "tekst": tekst})
    return opened


def seal_bericht(
    status: Mapping[str, Any], keys: MelderKeys, soort: str, tekst: str
) -> dict[str, Any]:
    """A reply or aanvulling sealed on the melder's side to the loket and the melder."""
    loket = status["loket_sleutel"]
    public = b64d(loket["public_key"])
    if key_id(public) != loket["kid"]:
        raise ValueError("loket key id does not fit its key")
    bericht_id = str(uuid.uuid4())
    plaintext = json.dumps({"tekst": tekst}, ensure_ascii=False).encode("utf-8")
    sealed = seal(
        plaintext,
        bericht_header(status["kop"], soort, bericht_id),
        [Recipient(kid=loket["kid"], public_key=public), keys.recipient],
    )
    return {"bericht_id": bericht_id, "sealed": sealed}
