"""The melder's own key pair, derived from the meldcode.

Whoever holds the meldcode can re-create the private key and read what was
sealed to the melder (their own melding, messages from the loket). The salt is
the melding id, so equal codes for two meldingen would still give other keys.
"""

from __future__ import annotations

import hashlib

from envelope.meldcode import normalize_meldcode
from envelope.sealing import Recipient, key_id, public_from_private

_N, _R, _P = 2**14, 8, 1
_SALT_PREFIX = b"meldwijzer/melder-key/v1/"


def melder_private_key(meldcode: str, melding_id: str) -> bytes:
    """32 raw bytes of an X25519 private key (X25519 clamps any 32 bytes)."""
    return hashlib.scrypt(
        normalize_meldcode(meldcode).encode("ascii"),
        salt=_SALT_PREFIX + melding_id.encode("ascii"),
        n=_N,
        r=_R,
        p=_P,
        maxmem=2**26,
        dklen=32,
    )


def melder_recipient(meldcode: str, melding_id: str) -> Recipient:
    """The melder as a recipient of sealed content (public part only)."""
    public = public_from_private(melder_private_key(meldcode, melding_id))
    return Recipient(kid=key_id(public), public_key=public)
