"""Attack probe on the loket key protection (security review, finding 10).

Loket private keys were stored under scrypt N=2^15: a stolen backup made guessing a
passphrase four times cheaper than current guidance (OWASP: N=2^17, r=8, p=1). Keys
stored with the old cost are re-protected the next time the passphrase opens them.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.keys import protection
from backend.keys.loket_keys import generate_key, unlock
from backend.storage.models import LoketKey
from tests.backend.conftest import PASSPHRASE

# Read at import, before the suite's fixtures lower costs for speed.
CURRENT = (protection.SCRYPT_N, protection.SCRYPT_R, protection.SCRYPT_P)


def test_new_loket_keys_use_current_scrypt_guidance() -> None:
    n, r, p = CURRENT
    assert n >= 2**17 and r >= 8 and p >= 1


def test_an_old_key_is_upgraded_transparently_at_its_next_unlock(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    monkeypatch.setattr(protection, "SCRYPT_N", 2**15)  # a key made before the fix
    with db.session() as session:
        kid = generate_key(session, "vik", "rotterdam", PASSPHRASE).kid
    monkeypatch.setattr(protection, "SCRYPT_N", CURRENT[0])
    with db.session() as session:
        row = session.query(LoketKey).filter_by(kid=kid).one()
        assert row.protected_private_key["n"] == 2**15
        private = unlock(row, PASSPHRASE)  # e.g. meldwijzer-admin meldingen open
    with db.session() as session:
        row = session.query(LoketKey).filter_by(kid=kid).one()
        assert row.protected_private_key["n"] == CURRENT[0]
        assert unlock(row, PASSPHRASE) == private  # same key, same passphrase
