"""Anchors for the audit chain: signed checkpoints of its head, kept outside the database.

The hash chain (``backend/domain/audit.py``) shows a changed or removed row, but not
the removal of the *newest* rows: a shorter chain is still a valid chain. A
checkpoint fixes the head (``volgnummer`` and ``hash``) at a moment, signed with an
Ed25519 key that is not in the database, and is appended to a file that is not in the
database either (ideally append-only storage or the operations log). Whoever can
rewrite the database then still cannot hide rows up to the last checkpoint: the row
with that number must exist and carry that hash. Rows written after the last
checkpoint are not protected; the checkpoint interval bounds that window.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.audit import canonical
from backend.storage.models import AuditRegel
from envelope.sealing import b64d, b64e

SIGNED_FIELDS = ("volgnummer", "hash", "tijdstip")


class AnchorKeyError(ValueError):
    """The anchor key file is missing or not an anchor key."""


def generate_key(path: Path) -> str:
    """Write a new signing key (mode 0600, never overwrites); return its public key."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes_raw()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(b64e(raw) + "\n")
    return public_key_text(private.public_key())


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(b64d(path.read_text().strip()))
    except (OSError, ValueError) as exc:
        raise AnchorKeyError(f"cannot read the anchor key {path}") from exc


def public_key_text(key: Ed25519PublicKey) -> str:
    return b64e(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def load_public(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(b64d(text.strip()))
    except ValueError as exc:
        raise AnchorKeyError("not an Ed25519 public key") from exc


def sign_head(regel: AuditRegel, key: Ed25519PrivateKey) -> dict[str, Any]:
    """A checkpoint of the chain ending at ``regel``."""
    body = {"volgnummer": regel.volgnummer, "hash": regel.hash, "tijdstip": regel.tijdstip}
    return {**body, "sig": b64e(key.sign(canonical(body).encode("utf-8")))}


def append_anchor(path: Path, anchor: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(canonical(anchor) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_anchors(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass(frozen=True)
class AnchorReport:
    ok: bool
    anchors: int
    last: int | None = None  # volgnummer of the newest anchor checked
    problem: str | None = None


def verify_anchors(
    session: Session, anchors: Iterable[dict[str, Any]], public: Ed25519PublicKey
) -> AnchorReport:
    """Every anchor must be validly signed and its row must still exist with its hash."""
    count = 0
    last: int | None = None
    for anchor in anchors:
        try:
            body = {name: anchor[name] for name in SIGNED_FIELDS}
            public.verify(b64d(anchor["sig"]), canonical(body).encode("utf-8"))
        except (KeyError, TypeError, ValueError, InvalidSignature):
            return AnchorReport(False, count, last, f"anchor {count + 1} has no valid signature")
        volgnummer = int(body["volgnummer"])
        if last is not None and volgnummer < last:
            return AnchorReport(False, count, last, f"anchor {count + 1} goes back in the chain")
        regel = session.scalars(
            select(AuditRegel).where(AuditRegel.volgnummer == volgnummer)
        ).first()
        if regel is None:
            return AnchorReport(
                False,
                count,
                last,
                f"row {volgnummer} (anchored at {body['tijdstip']}) is gone: "
                "the log was cut off after it",
            )
        if regel.hash != body["hash"]:
            return AnchorReport(
                False, count, last, f"row {volgnummer} differs from its anchor: log rewritten"
            )
        last = volgnummer
        count += 1
    return AnchorReport(True, count, last)
