"""A private key protected under a secret the holder knows.

Two kinds of holder, one scheme (AES-256-GCM under a key derived from the secret):

- a *loket* key under the loket's **passphrase** (scrypt; admins at the console);
- a loket *user's* own key under their **password** (Argon2id; at every login).

Either way a secret that does not fit raises `WrongSecret`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from envelope.sealing import SealError, b64d, b64e

# OWASP Password Storage Cheat Sheet (2025): scrypt N=2^17, r=8, p=1 (128 MiB).
# Keys stored with lower costs are re-protected at their next unlock (loket_keys.unlock).
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
_SCRYPT_MAXMEM = 2**28
MIN_SECRET_LENGTH = 12


class WrongSecret(ValueError):
    """The passphrase or password does not open this private key."""


@dataclass(frozen=True)
class Argon2Cost:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1


def check_secret_strength(secret: str, what: str = "password") -> None:
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"a {what} needs at least {MIN_SECRET_LENGTH} characters")


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32
    )


def _argon2(password: str, salt: bytes, cost: Argon2Cost) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _encrypt(key: bytes, salt: bytes, private_key: bytes, aad: bytes) -> dict[str, str]:
    nonce = os.urandom(12)
    return {
        "salt": b64e(salt),
        "nonce": b64e(nonce),
        "ciphertext": b64e(AESGCM(key).encrypt(nonce, private_key, aad)),
    }


def _decrypt(key: bytes, protected: dict[str, Any], aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(b64d(protected["nonce"]), b64d(protected["ciphertext"]), aad)
    except (InvalidTag, SealError) as exc:
        raise WrongSecret("wrong passphrase or password for this key") from exc


# --- a loket key under the loket passphrase (scrypt) -----------------------------------


def protect(private_key: bytes, passphrase: str, kid: str) -> dict[str, Any]:
    check_secret_strength(passphrase, "passphrase")
    salt = os.urandom(16)
    key = _scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    params = {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
    return {**params, **_encrypt(key, salt, private_key, kid.encode())}


def outdated(protected: dict[str, Any]) -> bool:
    """Whether this loket key is protected with lower scrypt costs than today's."""
    return protected.get("kdf") == "scrypt" and (
        int(protected["n"]) < SCRYPT_N
        or int(protected["r"]) < SCRYPT_R
        or int(protected["p"]) < SCRYPT_P
    )


def unprotect(protected: dict[str, Any], passphrase: str, kid: str) -> bytes:
    if protected.get("kdf") != "scrypt":
        raise ValueError("unknown key protection")
    n, r, p = (int(protected[name]) for name in ("n", "r", "p"))
    key = _scrypt(passphrase, b64d(protected["salt"]), n, r, p)
    return _decrypt(key, protected, kid.encode())


# --- a user's key under their password (Argon2id) --------------------------------------


def protect_with_password(
    private_key: bytes, password: str, kid: str, cost: Argon2Cost
) -> dict[str, Any]:
    check_secret_strength(password)
    salt = os.urandom(16)
    key = _argon2(password, salt, cost)
    params = {"kdf": "argon2id", "t": cost.time_cost, "m": cost.memory_kib, "p": cost.parallelism}
    return {**params, **_encrypt(key, salt, private_key, b"gebruiker:" + kid.encode())}


def unprotect_with_password(protected: dict[str, Any], password: str, kid: str) -> bytes:
    if protected.get("kdf") != "argon2id":
        raise ValueError("unknown key protection")
    cost = Argon2Cost(int(protected["t"]), int(protected["m"]), int(protected["p"]))
    try:
        key = _argon2(password, b64d(protected["salt"]), cost)
    except SealError as exc:
        raise WrongSecret("wrong password") from exc
    return _decrypt(key, protected, b"gebruiker:" + kid.encode())


def burn_time(password: str, cost: Argon2Cost) -> None:
    """Spend the same work as a real login (for unknown user names)."""
    _argon2(password, b"\x00" * 16, cost)
