"""File format ``mwf1``: a bijlage (file) sealed on the melder's side, in chunks.

Same idea as ``mw2`` (envelope/sealing.py), made for large content:

* a small **manifest** (JSON) is sealed as an ordinary ``mw2`` object to the
  handling loket and the melder, with header = the melding's envelope header +
  ``{"deel": "bijlage", "bijlage_id": …}``. It holds the file's name, type, size,
  what metadata was removed and what may remain, and a fresh random 256-bit
  **file key** plus a 7-byte nonce prefix. Forwarding re-wraps the manifest like
  any other part; the chunks never change.
* the **content** is cut in chunks of ``CHUNK_SIZE`` bytes, each encrypted with
  AES-256-GCM under the file key (the STREAM construction of Hoang, Reyhanitabar,
  Rogaway and Vizár, 2015): nonce = prefix(7) ‖ counter(4, big-endian) ‖ last(1),
  associated data = ``"mwf1" 0x00 ‖ bijlage_id 0x00 ‖ counter ‖ last``. A chunk
  can therefore not be moved to another position or another file, and dropping
  the tail is noticed because the last chunk carries ``last = 1``.

The browser does exactly the same (web/src/bijlagen_seal.js); this module opens
files for the portal and the tests, and seals them for tests and tools. Only
``cryptography`` and the standard library.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from envelope.sealing import Recipient, SealError, open_sealed, seal

FORMAT = "mwf1"
CHUNK_SIZE = 512 * 1024  # plaintext bytes per chunk; a chunk fits one 1 MiB request
TAG_BYTES = 16
CHUNK_CIPHERTEXT = CHUNK_SIZE + TAG_BYTES
PREFIX_BYTES = 7
DEEL = "bijlage"


def bijlage_header(kop: Mapping[str, Any], bijlage_id: str) -> dict[str, Any]:
    """Associated data of a bijlage's manifest (the melding's envelope header + part)."""
    return {**kop, "deel": DEEL, "bijlage_id": bijlage_id}


def chunk_count(size: int) -> int:
    """Number of chunks of a plaintext of ``size`` bytes (an empty file has one)."""
    return max(1, -(-size // CHUNK_SIZE))


def ciphertext_size(size: int) -> int:
    return size + TAG_BYTES * chunk_count(size)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def _aad(bijlage_id: str, index: int, last: bool) -> bytes:
    return (
        FORMAT.encode()
        + b"\x00"
        + bijlage_id.encode("ascii")
        + b"\x00"
        + struct.pack(">IB", index, 1 if last else 0)
    )


def encrypt_chunk(
    key: bytes, prefix: bytes, bijlage_id: str, index: int, plain: bytes, last: bool
) -> bytes:
    if len(plain) > CHUNK_SIZE:
        raise ValueError("chunk too large")
    return AESGCM(key).encrypt(_nonce(prefix, index, last), plain, _aad(bijlage_id, index, last))


def decrypt_chunk(
    key: bytes, prefix: bytes, bijlage_id: str, index: int, data: bytes, last: bool
) -> bytes:
    try:
        return AESGCM(key).decrypt(_nonce(prefix, index, last), data, _aad(bijlage_id, index, last))
    except (InvalidTag, ValueError) as exc:
        raise SealError(f"chunk {index} of the bijlage does not match") from exc


@dataclass
class Manifest:
    """The sealed description of one bijlage (what the loket sees before downloading)."""

    naam: str
    type: str
    grootte: int
    sleutel: bytes
    prefix: bytes
    verwijderd: list[str] = field(default_factory=list)
    let_op: list[str] = field(default_factory=list)

    @property
    def delen(self) -> int:
        return chunk_count(self.grootte)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": FORMAT,
            "naam": self.naam,
            "type": self.type,
            "grootte": self.grootte,
            "deel_grootte": CHUNK_SIZE,
            "sleutel": base64.b64encode(self.sleutel).decode("ascii"),
            "nonce_prefix": base64.b64encode(self.prefix).decode("ascii"),
            "verwijderd": list(self.verwijderd),
            "let_op": list(self.let_op),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        try:
            if data.get("v") != FORMAT or data.get("deel_grootte") != CHUNK_SIZE:
                raise ValueError("unknown bijlage format")
            sleutel = base64.b64decode(str(data["sleutel"]), validate=True)
            prefix = base64.b64decode(str(data["nonce_prefix"]), validate=True)
            if len(sleutel) != 32 or len(prefix) != PREFIX_BYTES:
                raise ValueError("bad key or nonce prefix")
            grootte = int(data["grootte"])
            if grootte < 0:
                raise ValueError("negative size")
            return cls(
                naam=str(data["naam"]),
                type=str(data["type"]),
                grootte=grootte,
                sleutel=sleutel,
                prefix=prefix,
                verwijderd=[str(x) for x in data.get("verwijderd", [])],
                let_op=[str(x) for x in data.get("let_op", [])],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SealError("the bijlage manifest is not valid") from exc


def new_manifest(
    naam: str,
    mime: str,
    grootte: int,
    verwijderd: Sequence[str] = (),
    let_op: Sequence[str] = (),
) -> Manifest:
    return Manifest(
        naam=naam,
        type=mime,
        grootte=grootte,
        sleutel=AESGCM.generate_key(bit_length=256),
        prefix=os.urandom(PREFIX_BYTES),
        verwijderd=list(verwijderd),
        let_op=list(let_op),
    )


def encrypt_content(manifest: Manifest, bijlage_id: str, data: bytes) -> list[bytes]:
    """All chunks of ``data`` (whose length must be ``manifest.grootte``)."""
    if len(data) != manifest.grootte:
        raise ValueError("data does not have the manifest's size")
    n = manifest.delen
    return [
        encrypt_chunk(
            manifest.sleutel,
            manifest.prefix,
            bijlage_id,
            i,
            data[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE],
            i == n - 1,
        )
        for i in range(n)
    ]


def seal_manifest(
    manifest: Manifest, kop: Mapping[str, Any], bijlage_id: str, recipients: Sequence[Recipient]
) -> dict[str, Any]:
    plain = json.dumps(manifest.to_json(), ensure_ascii=False).encode("utf-8")
    return seal(plain, bijlage_header(kop, bijlage_id), recipients)


def open_manifest(
    sealed: Mapping[str, Any], kop: Mapping[str, Any], bijlage_id: str, private_key: bytes
) -> Manifest:
    plain = open_sealed(sealed, bijlage_header(kop, bijlage_id), private_key)
    try:
        data = json.loads(plain)
    except ValueError as exc:
        raise SealError("the bijlage manifest is not valid") from exc
    if not isinstance(data, dict):
        raise SealError("the bijlage manifest is not valid")
    return Manifest.from_json(data)


def decrypt_content(
    manifest: Manifest, bijlage_id: str, chunks: Iterable[bytes]
) -> Iterator[bytes]:
    """The plaintext, chunk by chunk; SealError on any reordering, loss or change.

    Checks the count against the manifest and the last-chunk flag, so a truncated
    or extended file never opens completely."""
    n = manifest.delen
    total = 0
    index = -1
    for index, data in enumerate(chunks):
        if index >= n:
            raise SealError("the bijlage has more chunks than its manifest says")
        plain = decrypt_chunk(
            manifest.sleutel, manifest.prefix, bijlage_id, index, data, index == n - 1
        )
        total += len(plain)
        yield plain
    if index != n - 1 or total != manifest.grootte:
        raise SealError("the bijlage is incomplete")


def prepare_upload(
    status: Mapping[str, Any],
    melder: Recipient,
    naam: str,
    mime: str,
    data: bytes,
    verwijderd: Sequence[str] = (),
    let_op: Sequence[str] = (),
    bijlage_id: str | None = None,
) -> tuple[dict[str, Any], list[bytes]]:
    """What the melder's side sends for one file: the body of ``POST /melder/bijlagen``
    (still to be signed) and the encrypted chunks. ``status`` is a melder status answer
    (``kop`` and ``loket_sleutel``)."""
    import uuid

    from envelope.sealing import b64d, key_id

    loket = status["loket_sleutel"]
    public = b64d(loket["public_key"])
    if key_id(public) != loket["kid"]:
        raise ValueError("loket key id does not fit its key")
    bijlage_id = bijlage_id or str(uuid.uuid4())
    manifest = new_manifest(naam, mime, len(data), verwijderd, let_op)
    chunks = encrypt_content(manifest, bijlage_id, data)
    sealed = seal_manifest(
        manifest,
        status["kop"],
        bijlage_id,
        [Recipient(kid=loket["kid"], public_key=public), melder],
    )
    body = {
        "bijlage_id": bijlage_id,
        "manifest": sealed,
        "grootte": sum(len(c) for c in chunks),
        "delen": len(chunks),
    }
    return body, chunks
