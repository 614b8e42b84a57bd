"""The OPRF key of "Niet alleen" matching (docs/matching.md).

One random ristretto255 scalar per installation. It is stored in the database
(``instellingen``, name ``niet_alleen_oprf``) only encrypted with AES-256-GCM under
a secret that lives outside the database, in the key directory
(``installation_secrets.outside_secret``). A database dump alone therefore cannot
compute the PRF of any name, so it cannot be dictionary-searched; the running
backend process holds both and could (docs/matching.md, threat model).
"""

from __future__ import annotations

import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.keys.installation_secrets import outside_secret
from backend.storage.models import Instelling
from envelope import oprf
from envelope.sealing import b64d, b64e

NAAM = "niet_alleen_oprf"
SECRET_NAME = "niet_alleen_oprf_sleutel"  # noqa: S105 - a file name, not a secret
_AAD = b"meldwijzer/niet-alleen/oprf-sleutel/v1"


def _wrapping_key() -> bytes:
    return outside_secret(SECRET_NAME, 32)


def oprf_key(session: Session) -> int:
    """The installation's OPRF secret scalar, made on first use."""
    row = session.get(Instelling, NAAM)
    if row is None:
        scalar = oprf.random_scalar()
        nonce = os.urandom(12)
        ct = AESGCM(_wrapping_key()).encrypt(nonce, oprf.serialize_scalar(scalar), _AAD)
        row = Instelling(naam=NAAM, waarde=json.dumps({"nonce": b64e(nonce), "ct": b64e(ct)}))
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another worker made it first: use theirs
            row = session.get(Instelling, NAAM)
            assert row is not None  # noqa: S101
        else:
            return scalar
    stored = json.loads(row.waarde)
    plain = AESGCM(_wrapping_key()).decrypt(b64d(stored["nonce"]), b64d(stored["ct"]), _AAD)
    return oprf.deserialize_scalar(plain)
