"""The melder's own keys, derived from the meldcode on the melder's side only.

Current meldcodes (``melder_keys``): ``scrypt(geheim, salt = label ‖ kenmerk)``
gives a 32-byte seed. The seed is an **Ed25519** signing key; its public half
(``sleutel``) is all the backend stores and what it checks the melder's
signatures with. The melder's **X25519** key for opening sealed parts is the
same key in Montgomery form (private: SHA-512(seed)[:32], as RFC 8032 and
libsodium's ``crypto_sign_ed25519_sk_to_curve25519`` do), so the backend can
compute the X25519 public key from ``sleutel`` and refuse a submission that is
sealed to anything else — and it never holds anything that opens a melding.

Older meldcodes (``melder_private_key``): scrypt(code, salt = label ‖ melding id)
is the X25519 private key directly; only the backend's old path uses it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from envelope.meldcode import normalize_meldcode, split_meldcode
from envelope.sealing import Recipient, key_id, public_from_private

_N, _R, _P = 2**14, 8, 1
_SALT_PREFIX = b"meldwijzer/melder-key/v1/"
_V2_SALT_PREFIX = b"meldwijzer/melder-key/v2/"
_P25519 = 2**255 - 19


def _scrypt(secret: str, salt: bytes) -> bytes:
    """32 bytes from a meldcode (part) with the melder-key cost (_N is read at call time,
    so tests can lower it)."""
    return hashlib.scrypt(
        secret.encode("ascii"), salt=salt, n=_N, r=_R, p=_P, maxmem=2**26, dklen=32
    )


def melder_private_key(meldcode: str, melding_id: str) -> bytes:
    """Older meldcodes: 32 raw bytes of an X25519 private key (X25519 clamps any 32 bytes)."""
    return _scrypt(normalize_meldcode(meldcode), _SALT_PREFIX + melding_id.encode("ascii"))


def melder_recipient(meldcode: str, melding_id: str) -> Recipient:
    """Older meldcodes: the melder as a recipient of sealed content (public part only)."""
    public = public_from_private(melder_private_key(meldcode, melding_id))
    return Recipient(kid=key_id(public), public_key=public)


@dataclass(frozen=True, repr=False)
class MelderKeys:
    """The melder's keys for one current meldcode. Never stored, never logged."""

    seed: bytes  # Ed25519 private key (and source of the X25519 private key)
    sleutel: bytes  # Ed25519 public key: what the backend stores
    private_key: bytes  # X25519 private key: opens what is sealed to the melder
    public_key: bytes  # X25519 public key: what content is sealed to

    def __repr__(self) -> str:  # never print a private key by accident
        return f"MelderKeys(sleutel={self.sleutel.hex()[:16]}…)"

    @property
    def recipient(self) -> Recipient:
        return Recipient(kid=key_id(self.public_key), public_key=self.public_key)

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def melder_seed(meldcode: str) -> bytes:
    kenmerk, geheim = split_meldcode(meldcode)
    return _scrypt(geheim, _V2_SALT_PREFIX + kenmerk.encode("ascii"))


def keys_from_seed(seed: bytes) -> MelderKeys:
    sleutel = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    private = hashlib.sha512(seed).digest()[:32]
    return MelderKeys(
        seed=seed, sleutel=sleutel, private_key=private, public_key=public_from_private(private)
    )


def melder_keys(meldcode: str) -> MelderKeys:
    """The keys of a current (20-character) meldcode: slow (scrypt), melder side only."""
    return keys_from_seed(melder_seed(meldcode))


def x25519_from_ed25519(sleutel: bytes) -> bytes:
    """The X25519 public key of an Ed25519 public key (birational map u = (1+y)/(1-y))."""
    if len(sleutel) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    Ed25519PublicKey.from_public_bytes(sleutel)  # refuses what is not a point
    y = int.from_bytes(sleutel, "little") & ((1 << 255) - 1)
    if y >= _P25519 or y == 1:
        raise ValueError("not a usable Ed25519 public key")
    u = (1 + y) * pow(1 - y, _P25519 - 2, _P25519) % _P25519
    return u.to_bytes(32, "little")


def verify_signature(sleutel: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(sleutel).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
