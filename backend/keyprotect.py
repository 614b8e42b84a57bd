"""Protect a loket's private key under a passphrase (scrypt + AES-256-GCM)."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from envelope.sealing import b64d, b64e

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE_LENGTH = 12


class WrongPassphrase(ValueError):
    """The passphrase does not open this private key."""


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**27, dklen=32
    )


def protect(private_key: bytes, passphrase: str, kid: str) -> dict[str, Any]:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(f"a passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters")
    salt = os.urandom(16)
    nonce = os.urandom(12)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": b64e(salt),
        "nonce": b64e(nonce),
        "ciphertext": b64e(AESGCM(key).encrypt(nonce, private_key, kid.encode())),
    }


def unprotect(protected: dict[str, Any], passphrase: str, kid: str) -> bytes:
    if protected.get("kdf") != "scrypt":
        raise ValueError("unknown key protection")
    key = _derive(
        passphrase,
        b64d(protected["salt"]),
        int(protected["n"]),
        int(protected["r"]),
        int(protected["p"]),
    )
    try:
        return AESGCM(key).decrypt(
            b64d(protected["nonce"]), b64d(protected["ciphertext"]), kid.encode()
        )
    except InvalidTag as exc:
        raise WrongPassphrase("wrong passphrase for this loket key") from exc
