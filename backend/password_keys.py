"""A loket user's private key, encrypted under a key derived from their password (Argon2id)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from envelope.sealing import SealError, b64d, b64e

MIN_PASSWORD_LENGTH = 12


class WrongPassword(ValueError):
    """The password does not open this private key."""


@dataclass(frozen=True)
class Argon2Cost:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1


def _derive(password: str, salt: bytes, cost: Argon2Cost) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def protect_with_password(
    private_key: bytes, password: str, kid: str, cost: Argon2Cost
) -> dict[str, Any]:
    check_password_strength(password)
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(password, salt, cost)
    return {
        "kdf": "argon2id",
        "t": cost.time_cost,
        "m": cost.memory_kib,
        "p": cost.parallelism,
        "salt": b64e(salt),
        "nonce": b64e(nonce),
        "ciphertext": b64e(AESGCM(key).encrypt(nonce, private_key, b"gebruiker:" + kid.encode())),
    }


def unprotect_with_password(protected: dict[str, Any], password: str, kid: str) -> bytes:
    if protected.get("kdf") != "argon2id":
        raise ValueError("unknown key protection")
    cost = Argon2Cost(int(protected["t"]), int(protected["m"]), int(protected["p"]))
    try:
        key = _derive(password, b64d(protected["salt"]), cost)
        return AESGCM(key).decrypt(
            b64d(protected["nonce"]), b64d(protected["ciphertext"]), b"gebruiker:" + kid.encode()
        )
    except (InvalidTag, SealError) as exc:
        raise WrongPassword("wrong password") from exc


def burn_time(password: str, cost: Argon2Cost) -> None:
    """Spend the same work as a real login (for unknown user names)."""
    _derive(password, b"\x00" * 16, cost)
