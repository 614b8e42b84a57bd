"""A loket's private key is stored only under its passphrase."""

from __future__ import annotations

import json

import pytest

from backend.keys.protection import WrongSecret, protect, unprotect
from envelope.sealing import b64e, generate_keypair


def test_protected_key_opens_only_with_its_passphrase() -> None:
    private, _ = generate_keypair()
    protected = protect(private, "een lange geheime zin", "kid-1")
    assert b64e(private) not in json.dumps(protected)
    assert unprotect(protected, "een lange geheime zin", "kid-1") == private
    with pytest.raises(WrongSecret):
        unprotect(protected, "een andere zin!!", "kid-1")
    with pytest.raises(WrongSecret):
        unprotect(protected, "een lange geheime zin", "kid-2")


def test_short_passphrases_are_refused() -> None:
    private, _ = generate_keypair()
    with pytest.raises(ValueError, match="at least"):
        protect(private, "kort", "kid")
