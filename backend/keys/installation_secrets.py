"""Random per-installation secrets kept in the ``instellingen`` table (meldcode salt,
challenge key), created on first use."""

from __future__ import annotations

import secrets
import time

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.keys.key_files import write_once
from backend.storage.db import Database
from backend.storage.models import Instelling


def installation_secret(session: Session, name: str, nbytes: int) -> bytes:
    """The secret called ``name``; made (``nbytes`` random bytes) if it does not exist."""
    row = session.get(Instelling, name)
    if row is None:
        row = Instelling(naam=name, waarde=secrets.token_hex(nbytes))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.waarde)


def ensure_installation_secret(database: Database, name: str, nbytes: int) -> bytes:
    """As ``installation_secret``, in its own transaction and race-safe: several backend
    workers may start at the same moment on an empty database; the one whose insert
    loses the race reads the winner's secret."""
    for attempt in range(2):
        try:
            with database.session() as session:
                return installation_secret(session, name, nbytes)
        except IntegrityError:
            if attempt:  # a second clash is no race but a real fault
                raise
    raise AssertionError("unreachable")


def outside_secret(name: str, nbytes: int) -> bytes:
    """A secret kept OUTSIDE the database: a file ``<name>.secret`` (mode 0600) in the
    key directory (``MELDWIJZER_SLEUTELKLUIS``, not part of the database or its
    backups), made on first use; several workers: the first one's file wins. A
    database dump alone therefore does not hold it (docs/matching.md)."""
    from backend.keys.bewaarsleutels import kluis

    if not name.isidentifier():
        raise ValueError(f"not a secret name: {name!r}")
    directory = kluis().path
    path = directory / f"{name}.secret"
    write_once(path, secrets.token_hex(nbytes))
    for _ in range(50):
        text = path.read_text(encoding="ascii").strip()
        if text:
            return bytes.fromhex(text)
        time.sleep(0.01)  # another worker is writing it right now
    raise RuntimeError(f"secret {name} could not be read from {directory}")
