""" "Niet alleen": the melder names the other person for matching only (docs/matching.md).

The melder's side (action server) turns the fixed form into one input, gets its OPRF
value from the backend without showing it (``envelope/oprf.py``), and builds an
entry from that value:

* ``index``  = SHA-256(oprf_out ‖ "index"): equal for everyone who named the same
  person, and useless without the backend's OPRF key;
* a Shamir share ``(x, y)`` on the line ``y = a0 + a1·x`` (``envelope/shamir.py``):
  ``a0``, ``a1`` come from the OPRF value, ``x`` from the melder's own key (a
  deterministic Ed25519 signature), so the same melder always lands on the same point
  and two entries of one melder never reveal ``a0``;
* ``record``: AES-256-GCM under a key from ``a0``, holding the entry id, the melding
  id and an inner part sealed (mw2) to the vertrouwenspersoon of the melder's eenheid
  with the form itself.

Only when two entries with the same index come from different melders can the
backend compute ``a0`` and open the records; it learns the melding ids, never the
form (that stays sealed to the vertrouwenspersoon). Only ``cryptography`` + stdlib.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from envelope import shamir
from envelope.melder_key import MelderKeys
from envelope.sealing import Recipient, b64d, b64e, open_sealed, seal

INPUT_CONTEXT = b"meldwijzer/niet-alleen/v1\x00"
X_CONTEXT = b"meldwijzer/niet-alleen/x/v1"
DEEL = "niet_alleen"
# Dutch tussenvoegsels: left out of the last name, so "de Vries", "Vries, de" and
# "De Vries" are one name.
_TUSSENVOEGSELS_TEKST = (
    "van de der den het ter ten te op in aan bij uit voor over onder 't d' "
    "la le les du des da di del della dos el al von vom zu zum zur"
)
TUSSENVOEGSELS = frozenset(_TUSSENVOEGSELS_TEKST.split(" "))
_PNR = re.compile(r"^[0-9]{4,12}$")


class FormError(ValueError):
    """The form is incomplete or not in the fixed shape."""


class RecordError(ValueError):
    """A record could not be opened with the recovered key (no real match)."""


def _letters(text: str) -> list[str]:
    """Lowercase words without accents, punctuation or digits."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = plain.replace("\u2019", "'").replace("`", "'")
    words = re.sub(r"[^a-z' ]+", " ", plain.replace("-", " ")).split()
    return [w.strip("'") if w not in ("'t", "d'") else w for w in words if w.strip("'")]


def normalise_naam(voornaam: str, achternaam: str) -> tuple[str, str]:
    """First and last name as the matching input sees them (docs/matching.md)."""
    first = "".join(_letters(voornaam))
    last_words = [w for w in _letters(achternaam.replace(",", " ")) if w not in TUSSENVOEGSELS]
    last = "".join(last_words)
    if len(first) < 1 or len(last) < 2:
        raise FormError("voornaam and achternaam are needed")
    return first, last


def normalise_personeelsnummer(text: str) -> str:
    digits = re.sub(r"[\s.\-]", "", text)
    if not _PNR.match(digits):
        raise FormError("a personeelsnummer is 4 to 12 digits")
    return digits.lstrip("0") or "0"


def matching_input(form: Mapping[str, str]) -> bytes:
    """The OPRF input of a filled-in form: a personeelsnummer, or name + eenheid."""
    if form.get("personeelsnummer"):
        return (
            INPUT_CONTEXT
            + b"pnr\x00"
            + normalise_personeelsnummer(form["personeelsnummer"]).encode()
        )
    eenheid = str(form.get("eenheid") or "").strip().lower()
    if not re.fullmatch(r"[a-z-]{2,40}", eenheid):
        raise FormError("eenheid is needed with a name")
    first, last = normalise_naam(str(form.get("voornaam") or ""), str(form.get("achternaam") or ""))
    return INPUT_CONTEXT + f"naam\x00{first}\x00{last}\x00{eenheid}".encode()


def _hkdf(secret: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA512(), length=length, salt=None, info=info).derive(secret)


def index_of(oprf_out: bytes) -> str:
    """The entry index: SHA-256(oprf_out ‖ "index"), hex."""
    return hashlib.sha256(oprf_out + b"index").hexdigest()


def line_of(oprf_out: bytes) -> tuple[int, int]:
    """(a0, a1) of the Shamir line, from the OPRF output."""
    coeffs = _hkdf(oprf_out, b"meldwijzer/niet-alleen/line/v1", 128)
    return int.from_bytes(coeffs[:64], "big") % shamir.Q, int.from_bytes(
        coeffs[64:], "big"
    ) % shamir.Q


def melder_x(keys: MelderKeys) -> int:
    """The melder's x: from a deterministic Ed25519 signature, so it is the same for
    every entry of this melder and cannot be computed from the public key."""
    digest = hashlib.sha512(keys.sign(X_CONTEXT)).digest()
    return int.from_bytes(digest, "big") % (shamir.Q - 1) + 1


def record_key(a0: int, index: str) -> bytes:
    return _hkdf(
        a0.to_bytes(32, "big"), b"meldwijzer/niet-alleen/record/v1\x00" + index.encode(), 32
    )


def _record_aad(index: str, vermelding_id: str) -> bytes:
    return b"meldwijzer/niet-alleen/record/v1\x00" + f"{index}\x00{vermelding_id}".encode()


def inner_header(vermelding_id: str, eenheid: str) -> dict[str, str]:
    """Associated data of the inner part sealed to the vertrouwenspersoon."""
    return {"deel": DEEL, "vermelding_id": vermelding_id, "eenheid": eenheid}


@dataclass(frozen=True)
class Entry:
    vermelding_id: str
    index: str
    x: int
    y: int
    record: dict[str, str]

    def body(self) -> dict[str, Any]:
        """As sent to the backend (ASCII values only, so it can be signed)."""
        return {
            "vermelding_id": self.vermelding_id,
            "index": self.index,
            "x": format(self.x, "x"),
            "y": format(self.y, "x"),
            "record": self.record,
        }


def build_entry(
    *,
    oprf_out: bytes,
    keys: MelderKeys,
    vermelding_id: str,
    melding_id: str,
    eenheid: str,
    form: Mapping[str, str],
    vertrouwenspersoon: Recipient,
) -> Entry:
    """An entry for the backend; the form goes only into the part sealed to the VP."""
    index = index_of(oprf_out)
    a0, a1 = line_of(oprf_out)
    x = melder_x(keys)
    inner = seal(
        json.dumps(dict(form), ensure_ascii=False, sort_keys=True).encode("utf-8"),
        inner_header(vermelding_id, eenheid),
        [vertrouwenspersoon],
    )
    plain = json.dumps(
        {
            "vermelding_id": vermelding_id,
            "melding_id": melding_id,
            "eenheid": eenheid,
            "inner": inner,
        },
        sort_keys=True,
    ).encode("utf-8")
    nonce = os.urandom(12)
    ct = AESGCM(record_key(a0, index)).encrypt(nonce, plain, _record_aad(index, vermelding_id))
    record = {"nonce": b64e(nonce), "ct": b64e(ct)}
    return Entry(vermelding_id, index, x, shamir.share(a0, a1, x), record)


def open_record(
    a0: int, index: str, vermelding_id: str, record: Mapping[str, str]
) -> dict[str, Any]:
    """The record of an entry, with ``a0`` recovered from two shares."""
    try:
        plain = AESGCM(record_key(a0, index)).decrypt(
            b64d(record["nonce"]), b64d(record["ct"]), _record_aad(index, vermelding_id)
        )
        opened: dict[str, Any] = json.loads(plain)
    except (InvalidTag, KeyError, ValueError) as exc:
        raise RecordError("record does not open with this key") from exc
    if opened.get("vermelding_id") != vermelding_id:
        raise RecordError("record belongs to another entry")
    return opened


def open_inner(
    inner: Mapping[str, Any], vermelding_id: str, eenheid: str, private_key: bytes
) -> dict[str, str]:
    """The form, opened by the vertrouwenspersoon with her loket key."""
    form: dict[str, str] = json.loads(
        open_sealed(inner, inner_header(vermelding_id, eenheid), private_key)
    )
    return form
