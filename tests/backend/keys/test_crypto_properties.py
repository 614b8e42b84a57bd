"""Property-based tests of the backend's key handling (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.keys.protection import (
    Argon2Cost,
    WrongSecret,
    protect_with_password,
    unprotect_with_password,
)
from backend.keys.rewrap import add_reader, open_with_any
from backend.keys.session_keys import SessionInvalid, open_keys, seal_keys
from envelope.sealing import Recipient, SealError, generate_keypair, key_id, seal

COST = Argon2Cost(time_cost=1, memory_kib=256, parallelism=1)
passwords = st.text(min_size=12, max_size=40)


@settings(max_examples=25, deadline=None)
@given(password=passwords, other=passwords)
def test_user_key_opens_only_with_its_password(password: str, other: str) -> None:
    private, public = generate_keypair()
    protected = protect_with_password(private, password, key_id(public), COST)
    assert unprotect_with_password(protected, password, key_id(public)) == private
    if other != password:
        with pytest.raises(WrongSecret):
            unprotect_with_password(protected, other, key_id(public))


@settings(max_examples=25, deadline=None)
@given(
    keys=st.dictionaries(
        st.text("0123456789abcdef", min_size=16, max_size=16),
        st.binary(min_size=32, max_size=32),
        max_size=4,
    ),
    flip=st.integers(min_value=0, max_value=200),
)
def test_session_keys_round_trip_and_resist_tampering(keys: dict[str, bytes], flip: int) -> None:
    token = "t" * 43
    blob = seal_keys(token, keys)
    assert open_keys(token, blob) == keys
    with pytest.raises(SessionInvalid):
        open_keys("u" * 43, blob)
    raw = bytearray(blob["ciphertext"].encode())
    raw[flip % len(raw)] = ord("A") if raw[flip % len(raw)] != ord("A") else ord("B")
    damaged = {**blob, "ciphertext": raw.decode()}
    with pytest.raises((SessionInvalid, SealError, ValueError)):
        open_keys(token, damaged)


@settings(max_examples=25, deadline=None)
@given(content=st.binary(max_size=2000), loket=st.sampled_from(["vik", "klachtencommissie"]))
def test_forwarding_rewrap_gives_the_new_reader_the_same_content(
    content: bytes, loket: str
) -> None:
    header = {"melding_id": "m1", "loket": "vertrouwenspersoon", "eenheid": "rotterdam",
              "categorie": "pesten", "aangemaakt_op": "2026-01-01T00:00:00+00:00"}  # fmt: skip
    a_priv, a_pub = generate_keypair()
    b_priv, b_pub = generate_keypair()
    sealed = seal(content, header, [Recipient(key_id(a_pub), a_pub)])
    with pytest.raises(SealError):
        open_with_any(sealed, header, {key_id(b_pub): b_priv})
    rewrapped = add_reader(sealed, header, {key_id(a_pub): a_priv}, Recipient(key_id(b_pub), b_pub))
    assert rewrapped["ciphertext"] == sealed["ciphertext"]
    assert open_with_any(rewrapped, header, {key_id(b_pub): b_priv}) == content
    with pytest.raises(SealError):
        open_with_any(rewrapped, {**header, "loket": loket}, {key_id(b_pub): b_priv})
