"""Ontvangstbewijzen: signed proof that a melding was received (issue #14, point 2).

On acceptance the backend signs, with its bewijssleutel (backend/keys/bewijssleutel.py),
the melding id, a SHA-256 of the sealed content (and of the sealed identity, if any),
the loket, the eenheid and the moment of receipt. It first appends an audit entry
(``ontvangstbewijs_uitgegeven``) with the same hashes and puts that entry's position
and hash in the signed receipt, so receipt and chain point at each other. The receipt
holds no content: anyone can check it without learning what was reported.

Format and verification: docs/ontvangstbewijs.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.audit import canonical, record
from backend.keys.bewijssleutel import public_key, public_keys, signing_key
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import AuditRegel, Melding, Ontvangstbewijs
from envelope.sealing import SealError, b64d, b64e

FORMAAT = "meldwijzer.ontvangstbewijs/1"
# Domain separation: these bytes precede the canonical JSON that is signed.
DOMEIN = b"meldwijzer/ontvangstbewijs/v1\x00"
AUDIT_ACTIE = "ontvangstbewijs_uitgegeven"
GETEKENDE_VELDEN = (
    "formaat",
    "melding_id",
    "loket",
    "eenheid",
    "ontvangen_op",
    "inhoud_sha256",
    "identiteit_sha256",
    "audit",
    "sleutel_id",
)
VELDEN = (*GETEKENDE_VELDEN, "handtekening")


def sealed_sha256(sealed: dict[str, Any]) -> str:
    """SHA-256 (hex) of a sealed part as submitted: its canonical JSON (sorted keys,
    no spaces, UTF-8)."""
    return hashlib.sha256(canonical(sealed).encode("utf-8")).hexdigest()


def signed_bytes(body: dict[str, Any]) -> bytes:
    return DOMEIN + canonical({name: body[name] for name in GETEKENDE_VELDEN}).encode("utf-8")


def stored_receipt(session: Session, melding_id: str) -> dict[str, Any] | None:
    row = session.get(Ontvangstbewijs, melding_id)
    return dict(row.bewijs) if row is not None else None


def issue(
    session: Session,
    melding: Melding,
    sealed: dict[str, Any],
    sealed_identiteit: dict[str, Any] | None,
) -> dict[str, Any]:
    """The receipt of this melding: the stored one, or a new one (signed, audited, stored).

    ``sealed`` and ``sealed_identiteit`` are the parts as the action server submitted them
    (before forwarding or re-wrapping adds recipients)."""
    existing = stored_receipt(session, melding.id)
    if existing is not None:
        return existing
    inhoud = sealed_sha256(sealed)
    identiteit = sealed_sha256(sealed_identiteit) if sealed_identiteit is not None else None
    signer = signing_key(session)
    regel = record(
        session,
        "backend",
        AUDIT_ACTIE,
        melding.id,
        inhoud_sha256=inhoud,
        identiteit_sha256=identiteit,
        sleutel_id=signer.kid,
    )
    body: dict[str, Any] = {
        "formaat": FORMAAT,
        "melding_id": melding.id,
        "loket": melding.loket,
        "eenheid": melding.eenheid,
        "ontvangen_op": as_utc(melding.ontvangen_op).isoformat(),
        "inhoud_sha256": inhoud,
        "identiteit_sha256": identiteit,
        "audit": {"volgnummer": regel.volgnummer, "hash": regel.hash},
        "sleutel_id": signer.kid,
    }
    body["handtekening"] = b64e(signer.private.sign(signed_bytes(body)))
    session.add(Ontvangstbewijs(melding_id=melding.id, bewijs=body, uitgegeven_op=utcnow()))
    session.flush()
    return body


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Uitslag:
    """The outcome of a check: ``code`` names the Dutch text for melders
    (``bewijs.<code>`` in backend/pages/teksten.yml), ``reason_en`` is for developers."""

    geldig: bool
    code: str
    reason_en: str
    velden: dict[str, Any] = field(default_factory=dict)
    # Only where the audit log is at hand (the backend, the admin CLI):
    keten: bool | None = None


def _invalid(code: str, en: str, velden: dict[str, Any] | None = None) -> Uitslag:
    return Uitslag(False, code, en, velden or {})


def _shape(bewijs: Any) -> str | None:
    """What is wrong with the form of this receipt (None: nothing)."""
    if not isinstance(bewijs, dict):
        return "not a JSON object"
    if set(bewijs) != set(VELDEN):
        missing = sorted(set(VELDEN) - set(bewijs))
        extra = sorted(set(bewijs) - set(VELDEN))
        return f"fields missing {missing} or unknown {extra}"
    if bewijs["formaat"] != FORMAAT:
        return f"unknown format {str(bewijs['formaat'])[:60]!r}"
    audit = bewijs["audit"]
    if not isinstance(audit, dict) or set(audit) != {"volgnummer", "hash"}:
        return "the audit field needs volgnummer and hash"
    for name in ("melding_id", "loket", "eenheid", "ontvangen_op", "sleutel_id", "handtekening"):
        if not isinstance(bewijs[name], str):
            return f"{name} is not a string"
    try:
        datetime.fromisoformat(bewijs["ontvangen_op"])
    except ValueError:
        return "ontvangen_op is not a date and time"
    return None


def parse(text: str | bytes) -> Any:
    """The JSON of a receipt file; raises ValueError when it is not JSON."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError("not JSON") from exc


def check(session: Session, bewijs: Any) -> Uitslag:
    """Is this a receipt this installation signed, unchanged? Also: is its audit entry
    in the chain? Reads only public keys and the audit log; learns no content."""
    problem = _shape(bewijs)
    if problem is not None:
        return _invalid("vorm", f"Not a Meldwijzer receipt: {problem}.")
    velden = {name: bewijs[name] for name in VELDEN}
    row = public_keys(session).get(bewijs["sleutel_id"])
    if row is None:
        return _invalid(
            "sleutel_onbekend", "Signed with a key this installation does not know.", velden
        )
    try:
        public_key(row).verify(b64d(bewijs["handtekening"]), signed_bytes(bewijs))
    except (InvalidSignature, SealError, ValueError):
        return _invalid(
            "handtekening",
            "The signature does not match: the receipt was changed or not signed here.",
            velden,
        )
    return Uitslag(
        True,
        "geldig",
        "Valid: signed by this installation and unchanged.",
        velden,
        keten=in_chain(session, bewijs),
    )


def in_chain(session: Session, bewijs: dict[str, Any]) -> bool:
    """The audit entry the receipt names exists, is the issue of this receipt and carries
    the hash the receipt holds (``meldwijzer-admin audit verify`` checks the chain itself)."""
    audit = bewijs["audit"]
    if not isinstance(audit.get("volgnummer"), int):
        return False
    regel = session.scalars(
        select(AuditRegel).where(AuditRegel.volgnummer == audit["volgnummer"])
    ).first()
    if regel is None or regel.hash != audit.get("hash") or regel.actie != AUDIT_ACTIE:
        return False
    details = json.loads(regel.details)
    return bool(
        regel.melding_id == bewijs["melding_id"]
        and details.get("inhoud_sha256") == bewijs["inhoud_sha256"]
        and details.get("identiteit_sha256") == bewijs["identiteit_sha256"]
        and details.get("sleutel_id") == bewijs["sleutel_id"]
    )


def matches_sealed(bewijs: dict[str, Any], sealed: dict[str, Any]) -> bool:
    """Whether a sealed part (the ``sealed`` object as submitted) is the one receipted."""
    return sealed_sha256(sealed) in (bewijs.get("inhoud_sha256"), bewijs.get("identiteit_sha256"))
