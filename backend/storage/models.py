"""ORM models. Melding content, messages, notes and keys are stored only as ciphertext."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from backend.keys.bewaarde_bytes import BewaardeBytes
from backend.keys.bewaarsleutels import Bewaard
from backend.storage.clock import as_utc
from envelope.sealing import envelope_header

# Statuses of a melding (docs/backend.md). `ingetrokken` is set only by the melder.
STATUSSEN = (
    "ontvangen",
    "bevestigd",
    "in_behandeling",
    "doorverwezen",
    "afgerond",
    "ingetrokken",
)
EINDSTATUSSEN = ("afgerond", "ingetrokken")
ROLLEN = ("behandelaar", "coordinator")


class Base(DeclarativeBase):
    pass


class Instelling(Base):
    """Installation-wide values, e.g. the meldcode-hash salt."""

    __tablename__ = "instellingen"

    naam: Mapped[str] = mapped_column(String(64), primary_key=True)
    waarde: Mapped[str] = mapped_column(Text)


class LoketKey(Base):
    """A loket's X25519 key pair; the private key only encrypted under a passphrase."""

    __tablename__ = "loket_keys"
    __table_args__ = (UniqueConstraint("kid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loket: Mapped[str] = mapped_column(String(40), index=True)
    eenheid: Mapped[str] = mapped_column(String(40), index=True)  # or "landelijk"
    kid: Mapped[str] = mapped_column(String(32))
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of 32 raw bytes
    protected_private_key: Mapped[dict] = mapped_column(JSON)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Melding(Base):
    """A sealed melding: a clear-text routing envelope plus ciphertext."""

    __tablename__ = "meldingen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    # The loket that handles the melding now (changes when it is forwarded).
    loket: Mapped[str] = mapped_column(String(40), index=True)
    eenheid: Mapped[str] = mapped_column(String(40), index=True)
    categorie: Mapped[str] = mapped_column(String(40), index=True)
    aangemaakt_op: Mapped[str] = mapped_column(String(40))  # as sealed (AAD)
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Which clock applies (wet | afspraak | geen, backend/domain/termijnen.py) and its
    # deadlines; a deadline the route does not have is None.
    termijn_soort: Mapped[str] = mapped_column(String(16), default="geen")
    bevestigen_voor: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    terugkoppeling_voor: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    status: Mapped[str] = mapped_column(String(24), default="ontvangen")
    # Column name from migration 0001 (before the word "meldcode" was settled).
    meldcode_hash: Mapped[str] = mapped_column("receipt_hash", String(128), unique=True)
    # Sealed parts carry the storage-key layer (backend/keys/bewaarsleutels.py).
    sealed: Mapped[dict] = mapped_column(Bewaard)
    # The envelope header the content was sealed with; never changes (also not on forward).
    kop: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    melder_public_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    toestemming_doorsturen: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed_identiteit: Mapped[dict | None] = mapped_column(Bewaard, nullable=True)
    bevestigd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    teruggekoppeld_op: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    afgerond_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    doorverwezen_van: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Sent from a bewaarmelding: when the melder first wrote it down (docs/bewaarmelding.md).
    vastgelegd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @validates("kop")
    def _kop_is_immutable(self, _key: str, value: dict | None) -> dict | None:
        if self.kop is not None and value != self.kop:
            raise ValueError("the envelope header of a melding never changes")
        return value

    def columns(self, names: str, utc: bool = True) -> dict[str, Any]:
        """Columns by name (space-separated); datetimes as aware UTC unless ``utc=False``
        (SQLite returns them naive)."""
        values = {name: getattr(self, name) for name in names.split()}
        if utc:
            values = {k: as_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}
        return values

    def envelope(self) -> dict[str, str]:
        """The clear-text envelope this melding's content is bound to."""
        if self.kop is not None:
            return envelope_header(self.kop)
        return envelope_header(
            {
                "melding_id": self.id,
                "loket": self.loket,
                "eenheid": self.eenheid,
                "categorie": self.categorie,
                "aangemaakt_op": self.aangemaakt_op,
            }
        )

    def part_header(self, deel: str, **extra: str) -> dict[str, Any]:
        """Associated data for a separately sealed part (identiteit, bericht, notitie)."""
        return {**self.envelope(), "deel": deel, **extra}


class Bericht(Base):
    """A message between loket and melder, an aanvulling, or an internal note; sealed."""

    __tablename__ = "berichten"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("meldingen.id", ondelete="CASCADE"), index=True
    )
    van: Mapped[str] = mapped_column(String(16))  # loket | melder
    soort: Mapped[str] = mapped_column(String(16))  # bericht | aanvulling | notitie
    verzonden_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    gebruiker_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sealed: Mapped[dict] = mapped_column(Bewaard)


class Gebruiker(Base):
    """A loket user with an own X25519 key pair; the private key under their password."""

    __tablename__ = "gebruikers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(80), unique=True)
    loket: Mapped[str] = mapped_column(String(40), index=True)
    eenheid: Mapped[str] = mapped_column(String(40))  # eenheid code or "landelijk"
    rol: Mapped[str] = mapped_column(String(16))
    kid: Mapped[str] = mapped_column(String(32))
    public_key: Mapped[str] = mapped_column(String(64))
    protected_private_key: Mapped[dict] = mapped_column(JSON)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KeyGrant(Base):
    """A loket private key sealed (wrapped) to one user's public key."""

    __tablename__ = "sleutel_toegang"
    __table_args__ = (UniqueConstraint("gebruiker_id", "loket_key_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("gebruikers.id", ondelete="CASCADE"), index=True
    )
    loket_key_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("loket_keys.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[dict] = mapped_column(JSON)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Sessie(Base):
    """A login session: only a hash of the token; loket keys encrypted under the token."""

    __tablename__ = "sessies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gebruiker_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("gebruikers.id", ondelete="CASCADE"), index=True
    )
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Last request of this session; idle longer than MELDWIJZER_SESSIE_INACTIEF_MINUTEN ends it.
    laatst_actief_op: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    sleutels: Mapped[dict] = mapped_column(JSON)


class AuditRegel(Base):
    """One append-only, hash-chained audit entry (never content)."""

    __tablename__ = "audit_log"

    volgnummer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tijdstip: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    actie: Mapped[str] = mapped_column(String(40))
    melding_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    vorige_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class StatistiekPublicatie(Base):
    """The casuïstiekoverzicht of one closed quarter, computed once and never changed.

    ``tabellen`` holds the table of every scope (``landelijk`` and each eenheid),
    suppressed together (backend/domain/casuistiek.py)."""

    __tablename__ = "statistiek_publicaties"

    periode: Mapped[str] = mapped_column(String(16), primary_key=True)  # e.g. 2026-K3
    gepubliceerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tabellen: Mapped[dict] = mapped_column(JSON)


class Bewaarmelding(Base):
    """A melding the melder only stored: sealed to the melder's own key, no loket.

    No loket, eenheid or categorie in clear: no loket sees it, nothing counts it
    (docs/bewaarmelding.md). Sending it turns it into a ``Melding`` and deletes this row.
    """

    __tablename__ = "bewaarmeldingen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # "ed25519$" + the melder's Ed25519 public key, as meldingen.receipt_hash.
    melder_sleutel: Mapped[str] = mapped_column(String(128), unique=True)
    sealed: Mapped[dict] = mapped_column(Bewaard)
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    bijgewerkt_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class NietAlleenVermelding(Base):
    """ "Niet alleen" (docs/matching.md): one melder named a person for matching only.

    Stored: the melding that made it (the melder signed it), an index that is useless
    without the OPRF key, one Shamir share and a record no-one can open before a
    second melder names the same person. ``inner`` (the form, sealed to the
    vertrouwenspersoon) is filled only when a match opened the record."""

    __tablename__ = "niet_alleen_vermeldingen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    index: Mapped[str] = mapped_column(String(64), index=True)
    share_x: Mapped[str] = mapped_column(String(64))  # hex
    share_y: Mapped[str] = mapped_column(String(64))  # hex
    record: Mapped[dict] = mapped_column(JSON)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    match_groep: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    gematcht_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    eenheid: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    inner: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    instemming: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    instemming_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class NietAlleenEvaluaties(Base):
    """How many OPRF evaluations a melding asked for (the budget, docs/matching.md)."""

    __tablename__ = "niet_alleen_evaluaties"

    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, default=0)


class Checkin(Base):
    """The melder's answer to a check-in 1, 3 or 6 months after the melding (docs/checkin.md).

    ``sealed`` holds the answer and an optional text, sealed on the melder's side to the
    loket and the melder. ``nadelige_gevolgen`` is the one clear-text signal the loket's
    clock list shows without unlocking: True only for the answer "ja".
    """

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("melding_id", "moment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    melding_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("meldingen.id", ondelete="CASCADE"), index=True
    )
    moment: Mapped[int] = mapped_column(Integer)  # months after ontvangen_op: 1, 3 or 6
    beantwoord_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    nadelige_gevolgen: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[dict] = mapped_column(Bewaard)


class Bijlage(Base):
    """A file the melder added (format mwf1, envelope/bijlagen.py): a sealed manifest here,
    the ciphertext in ``bijlage_delen``. Only ``compleet`` ones belong to the melding;
    an ``upload`` that is not finished in time is removed (backend/domain/bijlagen.py)."""

    __tablename__ = "bijlagen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("meldingen.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="upload")  # upload | compleet
    manifest: Mapped[dict] = mapped_column(Bewaard)
    grootte: Mapped[int] = mapped_column(Integer)  # ciphertext bytes, declared at creation
    delen: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)  # of the ciphertext
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    afgerond_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BijlageDeel(Base):
    """One encrypted chunk of a bijlage, under the storage-key layer as well."""

    __tablename__ = "bijlage_delen"

    bijlage_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("bijlagen.id", ondelete="CASCADE"), primary_key=True
    )
    volgnummer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    grootte: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    inhoud: Mapped[bytes] = mapped_column(BewaardeBytes)


class Bewijssleutel(Base):
    """An Ed25519 key the backend signs ontvangstbewijzen with (backend/keys/bewijssleutel.py).

    The public key stays after a rotation (old receipts still verify); the private key,
    wrapped under a key file in the sleutelkluis, is removed when the key is retired."""

    __tablename__ = "bewijssleutels"

    kid: Mapped[str] = mapped_column(String(32), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of 32 raw bytes
    omhulde_private_key: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Ontvangstbewijs(Base):
    """The signed receipt of one melding, as handed to the melder (no content)."""

    __tablename__ = "ontvangstbewijzen"

    melding_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("meldingen.id", ondelete="CASCADE"), primary_key=True
    )
    bewijs: Mapped[dict] = mapped_column(JSON)
    uitgegeven_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
