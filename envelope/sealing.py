"""Envelope encryption for meldingen (formats ``mw2``, and ``mw1`` for reading).

Shared by the action server (seals) and the loket side (opens). Depends only
on ``cryptography`` and the standard library, so it runs in both the Rasa
(Python 3.10) and the backend environment. docs/encryption.md has the details.

Both formats:

* a fresh 256-bit data key per melding encrypts the content with AES-256-GCM;
* the data key is wrapped for every recipient (loket key, melder key);
* the clear-text envelope header (melding id, loket, eenheid, categorie, ...)
  is bound to the content and to each wrapped key, so changing any byte of the
  header or of the ciphertext makes opening fail.

``mw2`` (everything new) wraps the data key with standard HPKE (RFC 9180, base
mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) from
``cryptography``; the header is in the HPKE ``info``. ``mw1`` (older data) wraps
it with a hand-made X25519 + HKDF + AES-GCM construction; it stays readable, and
forwarding/re-wrapping an ``mw1`` object keeps it ``mw1``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT_VERSION = "mw2"
ALGORITHM = "HPKE-Base-X25519-SHA256-AES256GCM/AES-256-GCM"
# The older format: still opened and forwarded, never produced for new data.
MW1_VERSION = "mw1"
MW1_ALGORITHM = "X25519-HKDF-SHA256/AES-256-GCM"
FORMATS = {FORMAT_VERSION: ALGORITHM, MW1_VERSION: MW1_ALGORITHM}
_WRAP_INFO = b"meldwijzer/mw1/wrap-data-key"
_HPKE_INFO = b"meldwijzer/mw2/data-key\x00"
_HPKE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
_NONCE_BYTES = 12


# The clear-text envelope fields bound to the ciphertext as associated data.
HEADER_FIELDS = ("melding_id", "loket", "eenheid", "categorie", "aangemaakt_op")


def envelope_header(source: Mapping[str, Any]) -> dict[str, str]:
    """The envelope header (exactly HEADER_FIELDS) taken from a melding or row."""
    return {name: str(source[name]) for name in HEADER_FIELDS}


class SealError(ValueError):
    """A sealed melding could not be opened: wrong key, tampering or bad format."""


@dataclass(frozen=True)
class Recipient:
    """Somebody a melding is sealed to: a key id and an X25519 public key."""

    kid: str
    public_key: bytes  # 32 raw bytes


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise SealError("invalid base64 in sealed melding") from exc


def generate_keypair() -> tuple[bytes, bytes]:
    """Return a new (private, public) X25519 key pair as 32 raw bytes each."""
    private = X25519PrivateKey.generate()
    return _raw_private(private), _raw_public(private.public_key())


def public_from_private(private_key: bytes) -> bytes:
    return _raw_public(X25519PrivateKey.from_private_bytes(private_key).public_key())


def key_id(public_key: bytes) -> str:
    """A short, stable identifier of a public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def canonical_header(header: Mapping[str, Any]) -> bytes:
    """The associated data: the header as canonical JSON (sorted keys, no spaces)."""
    return json.dumps(
        dict(header), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def seal(
    plaintext: bytes, header: Mapping[str, Any], recipients: Sequence[Recipient]
) -> dict[str, Any]:
    """Encrypt ``plaintext`` for every recipient, bound to ``header``."""
    if not recipients:
        raise ValueError("a melding needs at least one recipient")
    aad = _aad(FORMAT_VERSION, header)
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(_NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, aad)
    return {
        "v": FORMAT_VERSION,
        "alg": ALGORITHM,
        "nonce": b64e(nonce),
        "ciphertext": b64e(ciphertext),
        "recipients": [_wrap(FORMAT_VERSION, data_key, r, header) for r in recipients],
    }


def format_of(sealed: Mapping[str, Any]) -> str:
    """The format version of a sealed object (``mw2`` or ``mw1``), or SealError."""
    version = sealed.get("v")
    if not isinstance(version, str) or FORMATS.get(version) != sealed.get("alg"):
        raise SealError("unknown sealed-melding format")
    return version


def open_sealed(sealed: Mapping[str, Any], header: Mapping[str, Any], private_key: bytes) -> bytes:
    """Decrypt a sealed melding with one recipient's private key."""
    version = format_of(sealed)
    aad = _aad(version, header)
    data_key = _data_key(version, sealed, header, private_key)
    try:
        return AESGCM(data_key).decrypt(b64d(sealed["nonce"]), b64d(sealed["ciphertext"]), aad)
    except (InvalidTag, KeyError, ValueError) as exc:
        raise SealError("melding content does not match its envelope") from exc


def add_recipient(
    sealed: Mapping[str, Any],
    header: Mapping[str, Any],
    private_key: bytes,
    recipient: Recipient,
) -> dict[str, Any]:
    """Re-wrap the data key for one more recipient without touching the content.

    The new wrap is in the object's own format, so an ``mw1`` melding stays ``mw1``.
    """
    version = format_of(sealed)
    data_key = _data_key(version, sealed, header, private_key)
    result = dict(sealed)
    result["recipients"] = [
        *sealed["recipients"],
        _wrap(version, data_key, recipient, header),
    ]
    return result


def recipient_kids(sealed: Mapping[str, Any]) -> set[str]:
    """The key ids a sealed object is wrapped for."""
    return {str(r.get("kid")) for r in sealed.get("recipients", []) if isinstance(r, Mapping)}


def _data_key(
    version: str, sealed: Mapping[str, Any], header: Mapping[str, Any], private_key: bytes
) -> bytes:
    public = public_from_private(private_key)
    kid = key_id(public)
    entries = [r for r in sealed.get("recipients", []) if r.get("kid") == kid]
    if not entries:
        raise SealError("this melding is not sealed to this key")
    if version == MW1_VERSION:
        return _unwrap(entries[0], private_key, public, _aad(version, header))
    return _hpke_unwrap(entries[0], private_key, header)


def _aad(version: str, header: Mapping[str, Any]) -> bytes:
    return version.encode() + b"\x00" + canonical_header(header)


def _hpke_info(header: Mapping[str, Any]) -> bytes:
    return _HPKE_INFO + canonical_header(header)


def _wrap(
    version: str, data_key: bytes, recipient: Recipient, header: Mapping[str, Any]
) -> dict[str, str]:
    if len(recipient.public_key) != 32:
        raise ValueError("an X25519 public key has 32 bytes")
    if version == MW1_VERSION:
        return _mw1_wrap(data_key, recipient, _aad(version, header))
    public = X25519PublicKey.from_public_bytes(recipient.public_key)
    return {
        "kid": recipient.kid,
        "wrapped_key": b64e(_HPKE.encrypt(data_key, public, info=_hpke_info(header))),
    }


def _hpke_unwrap(entry: Mapping[str, Any], private_key: bytes, header: Mapping[str, Any]) -> bytes:
    try:
        return _HPKE.decrypt(
            b64d(entry["wrapped_key"]),
            X25519PrivateKey.from_private_bytes(private_key),
            info=_hpke_info(header),
        )
    except (InvalidTag, KeyError, ValueError, TypeError) as exc:
        raise SealError("data key cannot be unwrapped with this key") from exc


def _kek(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=_WRAP_INFO,
    ).derive(shared)


def _mw1_wrap(data_key: bytes, recipient: Recipient, aad: bytes) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.public_key))
    kek = _kek(shared, ephemeral_public, recipient.public_key)
    nonce = os.urandom(_NONCE_BYTES)
    return {
        "kid": recipient.kid,
        "epk": b64e(ephemeral_public),
        "nonce": b64e(nonce),
        "wrapped_key": b64e(AESGCM(kek).encrypt(nonce, data_key, aad)),
    }


def _unwrap(entry: Mapping[str, Any], private_key: bytes, public: bytes, aad: bytes) -> bytes:
    try:
        ephemeral_public = b64d(entry["epk"])
        shared = X25519PrivateKey.from_private_bytes(private_key).exchange(
            X25519PublicKey.from_public_bytes(ephemeral_public)
        )
        kek = _kek(shared, ephemeral_public, public)
        return AESGCM(kek).decrypt(b64d(entry["nonce"]), b64d(entry["wrapped_key"]), aad)
    except (InvalidTag, KeyError, ValueError) as exc:
        raise SealError("data key cannot be unwrapped with this key") from exc


def _raw_private(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
