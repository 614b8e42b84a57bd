"""OPRF(ristretto255, SHA-512), base mode of RFC 9497, in pure Python.

The melder's side (action server) blinds an input, the backend evaluates it with a
key it never shows, the melder's side unblinds and finalizes. The backend learns
neither input nor output; the melder's side cannot compute the output without the
backend. ``evaluate`` (the non-interactive form) is only for tests: nothing in
production computes a PRF value without a melder's blinded request.

Checked against the RFC 9497 appendix A.1.1 vectors and against @noble/curves'
``ristretto255_oprf`` (tests/envelope/test_oprf.py).
"""

from __future__ import annotations

import hashlib
import secrets

from envelope import ristretto255 as group
from envelope.ristretto255 import DecodeError, Element

CONTEXT = b"OPRFV1-\x00-ristretto255-SHA512"
HASH_TO_GROUP_DST = b"HashToGroup-" + CONTEXT
HASH_TO_SCALAR_DST = b"HashToScalar-" + CONTEXT
DERIVE_KEY_PAIR_DST = b"DeriveKeyPair" + CONTEXT
ELEMENT_BYTES = 32
SCALAR_BYTES = 32


class OprfError(ValueError):
    """Invalid input, element or scalar in the OPRF protocol."""


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """expand_message_xmd with SHA-512 (RFC 9380 5.3.1)."""
    b_bytes, block = 64, 128
    ell = -(-length // b_bytes)
    if ell > 255 or len(dst) > 255 or length > 65535:
        raise OprfError("expand_message_xmd: length or DST too long")
    dst_prime = dst + _i2osp(len(dst), 1)
    msg_prime = bytes(block) + msg + _i2osp(length, 2) + b"\x00" + dst_prime
    b0 = hashlib.sha512(msg_prime).digest()
    out = b = hashlib.sha512(b0 + b"\x01" + dst_prime).digest()
    for i in range(2, ell + 1):
        b = hashlib.sha512(
            bytes(x ^ y for x, y in zip(b0, b, strict=True)) + _i2osp(i, 1) + dst_prime
        ).digest()
        out += b
    return out[:length]


def hash_to_group(msg: bytes) -> Element:
    return group.from_uniform_bytes(expand_message_xmd(msg, HASH_TO_GROUP_DST, 64))


def hash_to_scalar(msg: bytes, dst: bytes = HASH_TO_SCALAR_DST) -> int:
    return int.from_bytes(expand_message_xmd(msg, dst, 64), "little") % group.L


def serialize_scalar(k: int) -> bytes:
    return (k % group.L).to_bytes(SCALAR_BYTES, "little")


def deserialize_scalar(data: bytes) -> int:
    if len(data) != SCALAR_BYTES:
        raise OprfError("a scalar is 32 bytes")
    k = int.from_bytes(data, "little")
    if k >= group.L:
        raise OprfError("scalar not reduced")
    return k


def deserialize_element(data: bytes) -> Element:
    try:
        element = group.decode(data)
    except DecodeError as exc:
        raise OprfError(str(exc)) from None
    if element == group.IDENTITY:
        raise OprfError("the identity element is not allowed")
    return element


def random_scalar() -> int:
    """A uniformly random non-zero scalar."""
    while True:
        k = secrets.randbelow(group.L)
        if k:
            return k


def derive_key_pair(seed: bytes, info: bytes) -> tuple[int, bytes]:
    """DeriveKeyPair (RFC 9497 3.2.1): the server's secret scalar and public element."""
    derive_input = seed + _i2osp(len(info), 2) + info
    for counter in range(256):
        sk = hash_to_scalar(derive_input + _i2osp(counter, 1), DERIVE_KEY_PAIR_DST)
        if sk:
            return sk, (group.BASE * sk).encode()
    raise OprfError("DeriveKeyPairError")


def blind(data: bytes, blind_scalar: int | None = None) -> tuple[int, bytes]:
    """Client: (blind, blinded element). ``blind_scalar`` is for test vectors only."""
    r = random_scalar() if blind_scalar is None else blind_scalar
    point = hash_to_group(data)
    if point == group.IDENTITY:
        raise OprfError("InvalidInputError")
    return r, (point * r).encode()


def blind_evaluate(secret: int, blinded: bytes) -> bytes:
    """Server: the evaluated element for a blinded element (refuses invalid elements)."""
    return (deserialize_element(blinded) * secret).encode()


def finalize(data: bytes, blind_scalar: int, evaluated: bytes) -> bytes:
    """Client: the 64-byte PRF output."""
    unblinded = deserialize_element(evaluated) * pow(blind_scalar, -1, group.L)
    return _output(data, unblinded.encode())


def evaluate(secret: int, data: bytes) -> bytes:
    """The PRF value computed with the key (tests only: the server never sees inputs)."""
    point = hash_to_group(data)
    if point == group.IDENTITY:
        raise OprfError("InvalidInputError")
    return _output(data, (point * secret).encode())


def _output(data: bytes, unblinded: bytes) -> bytes:
    return hashlib.sha512(
        _i2osp(len(data), 2) + data + _i2osp(len(unblinded), 2) + unblinded + b"Finalize"
    ).digest()
