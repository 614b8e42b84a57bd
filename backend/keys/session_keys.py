"""The loket keys of a login session, encrypted under a key derived from its token.

The session row keeps the unwrapped loket keys only encrypted under HKDF(token)
and stores only a SHA-256 hash of the token, so the database alone (without the
token, which lives only in the user's browser or client) cannot open the keys.
"""

from __future__ import annotations

import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from envelope.sealing import b64d, b64e

_INFO = b"meldwijzer/sessie/v1"


class SessionInvalid(ValueError):
    """Unknown, expired or damaged session token."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _session_key(token: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        token.encode("utf-8")
    )


def seal_keys(token: str, keys: dict[str, bytes]) -> dict[str, str]:
    nonce = os.urandom(12)
    plain = json.dumps({kid: b64e(k) for kid, k in keys.items()}).encode()
    aad = token_hash(token).encode()
    return {
        "nonce": b64e(nonce),
        "ciphertext": b64e(AESGCM(_session_key(token)).encrypt(nonce, plain, aad)),
    }


def open_keys(token: str, blob: dict[str, str]) -> dict[str, bytes]:
    try:
        plain = AESGCM(_session_key(token)).decrypt(
            b64d(blob["nonce"]), b64d(blob["ciphertext"]), token_hash(token).encode()
        )
    except (InvalidTag, KeyError) as exc:
        raise SessionInvalid("session keys cannot be opened") from exc
    return {kid: b64d(v) for kid, v in json.loads(plain).items()}
