"""Build the structured melding from the conversation and seal it for a loket.

The schema is documented in docs/melding-schema.md.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from actions.identiteit import seal_identiteit
from envelope.melder_auth import sign_submission
from envelope.melder_key import MelderKeys
from envelope.sealing import Recipient, b64d, b64e, envelope_header, seal

SCHEMA = "meldwijzer.melding/1"

INTAKE_SLOTS = (
    "beschrijving",
    "eenheid",
    "rol_melder",
    "sinds_wanneer",
    "rol_ander",
    "eerder_gemeld",
    "wens",
    "anoniem",
    "toestemming_doorsturen",
)


def routing_request(slots: dict[str, Any]) -> dict[str, Any]:
    """The body for POST /api/v1/routeadvies from the intake slots."""
    rol = slots.get("rol_melder") or "betrokkene"
    eerder = slots.get("eerder_gemeld") or "nee"
    wens = slots.get("wens") or "weet_niet"
    request: dict[str, Any] = {
        "categorie": slots["categorie"],
        "rol_melder": "betrokkene" if rol in ("aspirant", "weet_niet") else rol,
        "aspirant": rol == "aspirant",
        "eigen_leidinggevende_betrokken": slots.get("rol_ander") == "eigen_leidinggevende",
        "eerder_gemeld": "nee" if eerder == "weet_niet" else eerder,
        "wens": wens,
        "anoniem": slots.get("anoniem") != "nee",
    }
    if slots.get("eenheid"):
        request["eenheid"] = slots["eenheid"]
    return request


def build_melding(
    slots: dict[str, Any], melding_id: str, loket: str, aangemaakt_op: str
) -> dict[str, Any]:
    routing = routing_request(slots)
    return {
        "schema": SCHEMA,
        "melding_id": melding_id,
        "aangemaakt_op": aangemaakt_op,
        "kanaal": "chat",
        "loket": loket,
        "categorie": slots["categorie"],
        "beschrijving": slots.get("beschrijving") or "",
        "eenheid": slots["eenheid"],
        "rol_melder": routing["rol_melder"],
        "aspirant": routing["aspirant"],
        "sinds_wanneer": slots.get("sinds_wanneer") or "weet_niet",
        "rol_ander": slots.get("rol_ander") or "weet_niet",
        "eigen_leidinggevende_betrokken": routing["eigen_leidinggevende_betrokken"],
        "eerder_gemeld": slots.get("eerder_gemeld") or "weet_niet",
        "wens": routing["wens"],
        "anoniem": routing["anoniem"],
        "toestemming_doorsturen": slots.get("toestemming_doorsturen") == "ja",
    }


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def sealed_submission(
    melding: dict[str, Any],
    key: dict[str, Any],
    melder: MelderKeys,
    identiteit: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The POST /api/v1/meldingen body: clear envelope + sealed content.

    The content is sealed to the loket and to the melder's own key (derived from
    the meldcode, envelope/melder_key.py), so the melder can read it back when
    following up. The body carries the melder's public keys and a signature, never
    the meldcode or anything that derives the melder's key: it is also what the
    outbox stores. ``identiteit`` (only when the melder chose to be known) is sealed
    apart, to the loket only.
    """
    header = envelope_header(melding)
    plaintext = json.dumps(melding, ensure_ascii=False, sort_keys=True).encode("utf-8")
    loket = Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))
    sealed = seal(plaintext, header, [loket, melder.recipient])
    body = {
        "envelope": header,
        "sealed": sealed,
        "melder_sleutel": b64e(melder.sleutel),
        "melder_handtekening": sign_submission(melder, melding["melding_id"], sealed),
        "melder_public_key": b64e(melder.public_key),
        "toestemming_doorsturen": bool(melding.get("toestemming_doorsturen")),
    }
    if identiteit is not None:
        body["sealed_identiteit"] = seal_identiteit(identiteit, header, key)
    return body
