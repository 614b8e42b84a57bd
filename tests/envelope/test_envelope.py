"""The sealing format: round trip, tampering, wrong keys, several recipients."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envelope.meldcode import (
    LENGTH,
    MeldcodeFormatError,
    format_meldcode,
    new_meldcode,
    normalize_meldcode,
)
from envelope.sealing import (
    Recipient,
    SealError,
    add_recipient,
    b64d,
    b64e,
    generate_keypair,
    key_id,
    open_sealed,
    seal,
)

HEADER = {
    "melding_id": "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90",
    "loket": "vertrouwenspersoon",
    "eenheid": "rotterdam",
    "categorie": "pesten",
    "aangemaakt_op": "2026-11-26T10:15:00+00:00",
}


def recipient() -> tuple[bytes, Recipient]:
    private, public = generate_keypair()
    return private, Recipient(kid=key_id(public), public_key=public)


def test_round_trip_returns_exactly_the_plaintext() -> None:
    private, r = recipient()
    sealed = seal("Mijn OE lacht me uit. ✓".encode(), HEADER, [r])
    assert open_sealed(sealed, HEADER, private) == "Mijn OE lacht me uit. ✓".encode()


def test_ciphertext_does_not_contain_the_plaintext() -> None:
    _, r = recipient()
    sealed = seal(b"CANARY-unieke-tekst-123", HEADER, [r])
    assert b"CANARY" not in str(sealed).encode()


def test_every_recipient_can_open_and_a_stranger_cannot() -> None:
    (p1, r1), (p2, r2), (p3, _) = recipient(), recipient(), recipient()
    sealed = seal(b"inhoud", HEADER, [r1, r2])
    assert open_sealed(sealed, HEADER, p1) == b"inhoud"
    assert open_sealed(sealed, HEADER, p2) == b"inhoud"
    with pytest.raises(SealError):
        open_sealed(sealed, HEADER, p3)


@pytest.mark.parametrize("field", sorted(HEADER))
def test_changing_any_envelope_field_breaks_opening(field: str) -> None:
    private, r = recipient()
    sealed = seal(b"inhoud", HEADER, [r])
    changed = {**HEADER, field: HEADER[field] + "x"}
    with pytest.raises(SealError):
        open_sealed(sealed, changed, private)


@pytest.mark.parametrize("part", ["ciphertext", "nonce"])
def test_flipping_any_byte_of_the_content_breaks_opening(part: str) -> None:
    private, r = recipient()
    sealed = seal(b"inhoud van de melding", HEADER, [r])
    raw = b64d(sealed[part])
    for index in range(len(raw)):
        broken = copy.deepcopy(sealed)
        flipped = bytearray(raw)
        flipped[index] ^= 0x01
        broken[part] = b64e(bytes(flipped))
        with pytest.raises(SealError):
            open_sealed(broken, HEADER, private)


@pytest.mark.parametrize("index", [0, 31, 32, -1])  # HPKE enc (32 bytes), then the wrap
def test_tampering_with_the_wrapped_key_breaks_opening(index: int) -> None:
    private, r = recipient()
    sealed = seal(b"inhoud", HEADER, [r])
    assert sealed["v"] == "mw2" and set(sealed["recipients"][0]) == {"kid", "wrapped_key"}
    part = "wrapped_key"
    raw = bytearray(b64d(sealed["recipients"][0][part]))
    raw[index] ^= 0x80
    sealed["recipients"][0][part] = b64e(bytes(raw))
    with pytest.raises(SealError):
        open_sealed(sealed, HEADER, private)


def test_unknown_format_version_is_refused() -> None:
    private, r = recipient()
    sealed = {**seal(b"x", HEADER, [r]), "v": "mw0"}
    with pytest.raises(SealError):
        open_sealed(sealed, HEADER, private)


def test_add_recipient_lets_a_second_loket_read_without_resealing() -> None:
    (p1, r1), (p2, r2) = recipient(), recipient()
    sealed = seal(b"doorsturen", HEADER, [r1])
    forwarded = add_recipient(sealed, HEADER, p1, r2)
    assert forwarded["ciphertext"] == sealed["ciphertext"]
    assert open_sealed(forwarded, HEADER, p2) == b"doorsturen"


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=4096), st.text(min_size=1, max_size=30))
def test_round_trip_for_any_content(plaintext: bytes, categorie: str) -> None:
    private, r = recipient()
    header = {**HEADER, "categorie": categorie}
    assert open_sealed(seal(plaintext, header, [r]), header, private) == plaintext


def test_meldcode_has_80_secret_bits_and_reads_back_despite_typing_variations() -> None:
    code = new_meldcode()
    assert len(normalize_meldcode(code)) == LENGTH == 20  # kenmerk 4 + geheim 16 x 5 bits
    assert len(code.split("-")) == 5
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert format_meldcode(typed) == code
    assert len({new_meldcode() for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "bad", ["", "1234", "UUUU-UUUU-UUUU-UUUU", "A" * 17, "A" * 18, "A" * 21, "U" * 20]
)
def test_malformed_meldcodes_are_refused(bad: str) -> None:
    with pytest.raises(MeldcodeFormatError):
        normalize_meldcode(bad)
