"""Signed requests: the action server proves to the backend that it is the action server.

Each action-server installation has an Ed25519 key pair. The private key stays in a
file on the action-server host (owner-only); the backend knows the public key
(``MELDWIJZER_ACTIESERVERS``, see docs/deployment.md). Every request the action
server sends is signed over

    mwsig1 \\n METHOD \\n path[?query] \\n timestamp \\n nonce \\n SHA-256(body) hex

and carries four headers (below). The backend refuses an unsigned submission, a
signature by an unknown key, one that does not verify, a timestamp outside its
window and a nonce it has seen before (docs/security.md).

Only ``cryptography`` and the standard library: the action server (Python 3.10)
and the backend share it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

SCHEME = "mwsig1"
KEY_HEADER = "X-Meldwijzer-Key-Id"
TIMESTAMP_HEADER = "X-Meldwijzer-Timestamp"
NONCE_HEADER = "X-Meldwijzer-Nonce"
SIGNATURE_HEADER = "X-Meldwijzer-Signature"
HEADERS = (KEY_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER)


class SignatureFormatError(ValueError):
    """A signing header or key is malformed."""


def _b64d(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise SignatureFormatError("not base64") from exc


def _now() -> int:
    return int(time.time())


def signing_key_id(public_key: bytes) -> str:
    """First 16 hex characters of SHA-256 of the raw public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_text(cls, text: str) -> SigningKey:
        raw = _b64d(text.strip())
        if len(raw) != 32:
            raise SignatureFormatError("an Ed25519 private key has 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    @classmethod
    def load(cls, path: Path) -> SigningKey:
        return cls.from_text(path.read_text(encoding="ascii"))

    def to_text(self) -> str:
        raw = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return base64.b64encode(raw).decode("ascii")

    def save(self, path: Path) -> None:
        """Write the private key to a new owner-only file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(self.to_text() + "\n")

    @property
    def public_key(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def public_text(self) -> str:
        return base64.b64encode(self.public_key).decode("ascii")

    @property
    def kid(self) -> str:
        return signing_key_id(self.public_key)

    def sign(
        self,
        method: str,
        path: str,
        body: bytes,
        timestamp: int | None = None,
        nonce: str | None = None,
    ) -> dict[str, str]:
        """The four signing headers for one request."""
        stamp = str(_now() if timestamp is None else timestamp)
        nonce = nonce or secrets.token_urlsafe(18)
        signature = self.private.sign(signed_bytes(method, path, stamp, nonce, body))
        return {
            KEY_HEADER: self.kid,
            TIMESTAMP_HEADER: stamp,
            NONCE_HEADER: nonce,
            SIGNATURE_HEADER: base64.b64encode(signature).decode("ascii"),
        }


def ensure_signing_key(path: Path) -> SigningKey:
    """The key in ``path``; a new one is generated and saved there first if absent."""
    if not path.exists():
        SigningKey.generate().save(path)
    return SigningKey.load(path)


def signed_bytes(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join((SCHEME, method.upper(), path, timestamp, nonce, digest)).encode("utf-8")


def public_key_from_text(text: str) -> bytes:
    raw = _b64d(text.strip())
    if len(raw) != 32:
        raise SignatureFormatError("an Ed25519 public key has 32 bytes")
    return raw


def verify(
    public_key: bytes, headers: Mapping[str, str], method: str, path: str, body: bytes
) -> bool:
    """Whether the signature in ``headers`` is by ``public_key`` over this request."""
    try:
        signature = _b64d(headers[SIGNATURE_HEADER])
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature,
            signed_bytes(method, path, headers[TIMESTAMP_HEADER], headers[NONCE_HEADER], body),
        )
    except (InvalidSignature, SignatureFormatError, KeyError, ValueError):
        return False
    return True
