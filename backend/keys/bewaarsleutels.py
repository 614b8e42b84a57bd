"""Storage keys ("bewaarsleutels"): an outer layer on every sealed column, with keys
that live outside the database and are destroyed on a schedule.

Why: a sealed melding is readable with a loket key, and the loket key (under the
passphrase, or granted to users under their passwords) is in every database backup.
Deleting a melding from the live database therefore left it readable in old backups
for anyone who knows a passphrase or password that was valid then.

How: every sealed part (``meldingen.sealed``, ``meldingen.sealed_identiteit``,
``berichten.sealed``) is stored encrypted once more, with AES-256-GCM under the
storage key of the current month. The keys are files in a key directory (the
*sleutelkluis*, ``MELDWIJZER_SLEUTELKLUIS``) that is not part of the database and
not of its backups. ``rekey`` (run by ``meldwijzer-admin retention run``) moves every
row to the current month's key; ``destroy_old_keys`` then deletes every key older
than the previous month that no row uses any more. A database backup needs the keys
of its own months: once those are destroyed, the backup can no longer be opened with
any passphrase, password or meldcode (crypto-shredding of every copy at once).

The layer is a SQLAlchemy column type (``Bewaard``), so the rest of the code sees
the usual ``mw1`` objects. Rows written before this layer (plain ``mw1``) are read as
they are and get the layer at the next ``rekey``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import JSON, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.types import TypeDecorator

from backend.keys.key_files import write_once
from backend.storage.clock import utcnow
from envelope.sealing import b64d, b64e

FORMAT = "mwb1"
KID = re.compile(r"^\d{4}-\d{2}$")
# What a part looks like whose storage key is gone: opening it fails like a shredded part.
VERNIETIGD = {"v": "mw1", "alg": "vernietigd", "nonce": "", "ciphertext": "", "recipients": []}


def periode(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def vorige_periode(kid: str) -> str:
    year, month = int(kid[:4]), int(kid[5:])
    return f"{year - 1}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


class Kluis:
    """The key directory: one file per month, 32 random bytes (base64), mode 0600."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: dict[str, bytes] = {}

    def _file(self, kid: str) -> Path:
        if not KID.match(kid):
            raise ValueError(f"not a storage key id: {kid!r}")
        return self.path / f"{kid}.key"

    def current(self) -> tuple[str, bytes]:
        """The key of this month, made on first use (several workers: the first wins)."""
        kid = periode(utcnow())
        if kid in self._cache:
            return kid, self._cache[kid]
        write_once(self._file(kid), b64e(AESGCM.generate_key(bit_length=256)))
        key = self.get(kid)
        if key is None:
            raise RuntimeError(f"storage key {kid} could not be made in {self.path}")
        return kid, key

    def get(self, kid: str) -> bytes | None:
        """A month's key, or None once destroyed (checked on disk, not only the cache)."""
        file = self._file(kid)
        if not file.exists():
            self._cache.pop(kid, None)
            return None
        if kid not in self._cache:
            try:
                text = file.read_text(encoding="ascii").strip()
            except FileNotFoundError:
                return None
            if not text:  # being written by another worker right now
                return None
            self._cache[kid] = b64d(text)
        return self._cache[kid]

    def kids(self) -> list[str]:
        if not self.path.exists():
            return []
        return sorted(p.stem for p in self.path.glob("*.key") if KID.match(p.stem))

    def destroy(self, kid: str) -> None:
        """Overwrite and delete a key file (on flash or copy-on-write disks the overwrite
        is best effort; the file must never have been in a long-kept backup)."""
        file = self._file(kid)
        self._cache.pop(kid, None)
        with contextlib.suppress(FileNotFoundError):
            size = file.stat().st_size
            with file.open("r+b") as f:
                f.write(os.urandom(size))
                f.flush()
                os.fsync(f.fileno())
            file.unlink()

    # --- the layer ---------------------------------------------------------------

    def wrap(self, value: dict[str, Any]) -> dict[str, Any]:
        kid, key = self.current()
        nonce = os.urandom(12)
        plain = json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")
        ct = AESGCM(key).encrypt(nonce, plain, _aad(kid))
        return {"v": FORMAT, "kid": kid, "nonce": b64e(nonce), "ct": b64e(ct)}

    def unwrap(self, stored: dict[str, Any]) -> dict[str, Any]:
        key = self.get(str(stored.get("kid", "")))
        if key is None:
            return dict(VERNIETIGD)
        try:
            nonce, ct = b64d(stored["nonce"]), b64d(stored["ct"])
            plain = AESGCM(key).decrypt(nonce, ct, _aad(stored["kid"]))
        except (InvalidTag, KeyError, ValueError):
            return dict(VERNIETIGD)
        value: dict[str, Any] = json.loads(plain)
        return value


def _aad(kid: str) -> bytes:
    return f"meldwijzer/{FORMAT}/{kid}".encode("ascii")


_kluis: Kluis | None = None


def configure(path: str | Path) -> Kluis:
    """Use this key directory in this process (create_app and the CLI call this)."""
    global _kluis
    target = Path(path)
    if _kluis is None or _kluis.path != target:
        _kluis = Kluis(target)
    return _kluis


def kluis() -> Kluis:
    if _kluis is None:
        from backend.core.config import Settings

        return configure(Settings.from_env().sleutelkluis)
    return _kluis


class Bewaard(TypeDecorator[dict]):
    """A JSON column whose value is stored under the current storage key."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or (isinstance(value, dict) and value.get("v") == FORMAT):
            return value
        return kluis().wrap(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, dict) and value.get("v") == FORMAT:
            return kluis().unwrap(value)
        return value


# --- moving rows to the current key, destroying old keys -----------------------------


def _stored_kids(session: Session) -> dict[tuple[str, str, str], str | None]:
    """(table, id, column) -> storage key id of the stored value (None: no layer yet)."""
    from backend.keys.bewaarde_bytes import stored_chunk_kids
    from backend.storage.models import Bericht, Bewaarmelding, Bijlage, Melding

    found: dict[tuple[str, str, str], str | None] = stored_chunk_kids(session)
    columns: tuple[tuple[Any, str], ...] = (
        (Melding, "sealed"),
        (Melding, "sealed_identiteit"),
        (Bericht, "sealed"),
        (Bewaarmelding, "sealed"),
        (Bijlage, "manifest"),
    )
    for model, name in columns:
        column = getattr(model, name)
        for row_id, raw in session.execute(select(model.id, type_coerce(column, JSON))):
            if raw is None:
                continue
            kid = raw.get("kid") if isinstance(raw, dict) and raw.get("v") == FORMAT else None
            found[(model.__tablename__, str(row_id), name)] = kid
    return found


def rekey(session: Session) -> int:
    """Store every sealed part under the current month's key; the number moved."""
    from backend.keys.bewaarde_bytes import chunk_row
    from backend.storage.models import Bericht, Bewaarmelding, Bijlage, Melding

    current, _ = kluis().current()
    models: dict[str, Any] = {
        "meldingen": Melding,
        "berichten": Bericht,
        "bewaarmeldingen": Bewaarmelding,
        "bijlagen": Bijlage,
    }
    moved = 0
    for (table, row_id, name), kid in _stored_kids(session).items():
        if kid == current:
            continue
        if table == "bijlage_delen":
            row = chunk_row(session, row_id)
        else:
            row = session.get(models[table], row_id)
        if row is None:
            continue
        flag_modified(row, name)
        moved += 1
    session.flush()
    return moved


def destroy_old_keys(session: Session) -> list[str]:
    """Destroy the keys before the previous month that no stored row uses.

    Call it in a transaction *after* the one that ran ``rekey`` was committed."""
    store = kluis()
    current, _ = store.current()
    keep_from = vorige_periode(current)
    in_use = {kid for kid in _stored_kids(session).values() if kid is not None}
    destroyed = []
    for kid in store.kids():
        if kid < keep_from and kid not in in_use:
            store.destroy(kid)
            destroyed.append(kid)
    return destroyed
