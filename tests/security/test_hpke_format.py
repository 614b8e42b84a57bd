"""Sealing format mw2 is standard HPKE (RFC 9180); the older mw1 stays readable.

Issue #13, finding 11. The mw1 fixture was written by the mw1 code before mw2
existed and is kept as it was.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from envelope.sealing import (
    Recipient,
    SealError,
    add_recipient,
    b64d,
    canonical_header,
    generate_keypair,
    key_id,
    open_sealed,
    seal,
)

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "mw1_melding.json").read_text())
HEADER = FIXTURE["header"]


def recipient() -> tuple[bytes, Recipient]:
    private, public = generate_keypair()
    return private, Recipient(kid=key_id(public), public_key=public)


def test_new_sealing_is_mw2_and_opens_with_plain_rfc9180_hpke() -> None:
    """Any RFC 9180 implementation opens the wrapped data key: nothing hand-made."""
    private, r = recipient()
    sealed = seal(b"inhoud voor het loket", HEADER, [r])
    assert (sealed["v"], sealed["alg"]) == ("mw2", "HPKE-Base-X25519-SHA256-AES256GCM/AES-256-GCM")
    entry = sealed["recipients"][0]
    assert set(entry) == {"kid", "wrapped_key"}
    suite = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
    info = b"meldwijzer/mw2/data-key\x00" + canonical_header(HEADER)
    data_key = suite.decrypt(
        b64d(entry["wrapped_key"]), X25519PrivateKey.from_private_bytes(private), info=info
    )
    aad = b"mw2\x00" + canonical_header(HEADER)
    plain = AESGCM(data_key).decrypt(b64d(sealed["nonce"]), b64d(sealed["ciphertext"]), aad)
    assert plain == b"inhoud voor het loket"


def test_the_header_is_bound_to_the_hpke_wrap() -> None:
    private, r = recipient()
    sealed = seal(b"x", HEADER, [r])
    with pytest.raises(SealError):
        open_sealed(sealed, {**HEADER, "loket": "vik"}, private)
    mixed: dict[str, Any] = {**sealed, "v": "mw1"}  # a version label that lies
    with pytest.raises(SealError):
        open_sealed(mixed, HEADER, private)


def test_stored_mw1_melding_and_message_still_open() -> None:
    loket = b64d(FIXTURE["loket_private_key"])
    assert FIXTURE["sealed"]["v"] == "mw1"
    assert open_sealed(FIXTURE["sealed"], HEADER, loket).decode() == FIXTURE["plaintext"]
    bericht = open_sealed(FIXTURE["bericht_sealed"], FIXTURE["bericht_header"], loket)
    assert json.loads(bericht)["tekst"] == FIXTURE["bericht_tekst"]


def test_the_melder_of_an_older_meldcode_still_reads_the_mw1_message() -> None:
    from envelope.melder_key import melder_private_key

    private = melder_private_key(FIXTURE["meldcode"], HEADER["melding_id"])
    bericht = open_sealed(FIXTURE["bericht_sealed"], FIXTURE["bericht_header"], private)
    assert json.loads(bericht)["tekst"] == FIXTURE["bericht_tekst"]


def test_forwarding_an_mw1_melding_keeps_mw1_and_the_new_loket_reads_it() -> None:
    loket = b64d(FIXTURE["loket_private_key"])
    other_private, other = recipient()
    forwarded = add_recipient(copy.deepcopy(FIXTURE["sealed"]), HEADER, loket, other)
    assert forwarded["v"] == "mw1" and forwarded["ciphertext"] == FIXTURE["sealed"]["ciphertext"]
    assert set(forwarded["recipients"][-1]) == {"kid", "epk", "nonce", "wrapped_key"}
    assert open_sealed(forwarded, HEADER, other_private).decode() == FIXTURE["plaintext"]


def test_forwarding_an_mw2_melding_adds_an_hpke_wrap() -> None:
    (p1, r1), (p2, r2) = recipient(), recipient()
    forwarded = add_recipient(seal(b"doorsturen", HEADER, [r1]), HEADER, p1, r2)
    assert forwarded["v"] == "mw2" and set(forwarded["recipients"][-1]) == {"kid", "wrapped_key"}
    assert open_sealed(forwarded, HEADER, p2) == b"doorsturen"


def test_mw1_tampering_is_still_detected() -> None:
    loket = b64d(FIXTURE["loket_private_key"])
    broken = copy.deepcopy(FIXTURE["sealed"])
    broken["recipients"][0]["epk"] = broken["recipients"][1]["epk"]
    with pytest.raises(SealError):
        open_sealed(broken, HEADER, loket)
