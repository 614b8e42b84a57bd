"""Give one more key access to sealed parts without touching their ciphertext."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from envelope.sealing import Recipient, SealError, add_recipient, open_sealed


def has_reader(sealed: Mapping[str, Any], kid: str) -> bool:
    return any(r.get("kid") == kid for r in sealed.get("recipients", []))


def add_reader(
    sealed: Mapping[str, Any],
    header: Mapping[str, Any],
    keys: Mapping[str, bytes],
    recipient: Recipient,
) -> dict[str, Any]:
    """Re-wrap the data key for ``recipient`` using any private key in ``keys``."""
    if has_reader(sealed, recipient.kid):
        return dict(sealed)
    for entry in sealed.get("recipients", []):
        private = keys.get(entry.get("kid", ""))
        if private is not None:
            return add_recipient(sealed, header, private, recipient)
    raise SealError("none of the available keys opens this part")


def open_with_any(
    sealed: Mapping[str, Any], header: Mapping[str, Any], keys: Mapping[str, bytes]
) -> bytes:
    """Open a sealed part with whichever of ``keys`` it was sealed to."""
    for entry in sealed.get("recipients", []):
        private = keys.get(entry.get("kid", ""))
        if private is not None:
            return open_sealed(sealed, header, private)
    raise SealError("none of the available keys opens this part")
