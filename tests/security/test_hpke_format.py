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


@pytest.fixture
def cheap_kdfs() -> None:
    """The stored fixture was made with the real scrypt costs: keep them here (this
    overrides the autouse fixture of tests/backend/conftest.py by name)."""


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


def seal_mw1(
    plaintext: bytes, header: dict[str, str], recipients: list[Recipient]
) -> dict[str, Any]:
    """An object as the mw1 code sealed it (through the module's mw1 wrap)."""
    import os

    from envelope import sealing

    data_key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    aad = sealing._aad("mw1", header)
    return {
        "v": "mw1",
        "alg": "X25519-HKDF-SHA256/AES-256-GCM",
        "nonce": sealing.b64e(nonce),
        "ciphertext": sealing.b64e(AESGCM(data_key).encrypt(nonce, plaintext, aad)),
        "recipients": [sealing._wrap("mw1", data_key, r, header) for r in recipients],
    }


def test_a_current_client_cannot_submit_in_the_old_format(tmp_path: Path) -> None:
    """New meldingen and messages are mw2; mw1 only comes from outbox rows of old clients."""
    import uuid

    from fastapi.testclient import TestClient

    from actions.melding import build_melding, sealed_submission
    from backend.app import create_app
    from backend.keys.loket_keys import generate_key
    from envelope.meldcode import new_meldcode
    from envelope.melder_auth import sign_submission
    from envelope.melder_key import melder_keys
    from envelope.sealing import envelope_header
    from tests.backend.conftest import post_melding, settings_for

    app = create_app(settings_for(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    with TestClient(app) as client:
        with client.app.state.db.session() as session:  # type: ignore[attr-defined]
            generate_key(session, "vertrouwenspersoon", "rotterdam", "een wachtzin van het loket")
        key = client.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
        slots = {"categorie": "pesten", "beschrijving": "x", "eenheid": "rotterdam"}
        m = build_melding(slots, str(uuid.uuid4()), "vertrouwenspersoon", "2026-12-01")
        keys = melder_keys(new_meldcode())
        body = sealed_submission(m, key, keys)
        loket = Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))
        old = seal_mw1(b"{}", envelope_header(m), [loket, keys.recipient])
        body |= {"sealed": old, "melder_handtekening": sign_submission(keys, m["melding_id"], old)}
        response = post_melding(client, body)
        assert response.status_code == 422 and response.json()["error"]["nl"]
        assert open_sealed(old, envelope_header(m), keys.private_key) == b"{}"  # it is mw1
