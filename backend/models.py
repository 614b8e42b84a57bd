"""ORM models. Melding content is stored only as ciphertext."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envelope.sealing import envelope_header


class Base(DeclarativeBase):
    pass


class Instelling(Base):
    """Installation-wide values, e.g. the receipt-hash salt."""

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
    loket: Mapped[str] = mapped_column(String(40), index=True)
    eenheid: Mapped[str] = mapped_column(String(40), index=True)
    categorie: Mapped[str] = mapped_column(String(40), index=True)
    aangemaakt_op: Mapped[str] = mapped_column(String(40))  # as sealed (AAD)
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    bevestigen_voor: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    terugkoppeling_voor: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(24), default="ontvangen")
    receipt_hash: Mapped[str] = mapped_column(String(128), unique=True)
    sealed: Mapped[dict] = mapped_column(JSON)

    def envelope(self) -> dict[str, str]:
        """The clear-text envelope this melding's content is bound to."""
        return envelope_header(
            {
                "melding_id": self.id,
                "loket": self.loket,
                "eenheid": self.eenheid,
                "categorie": self.categorie,
                "aangemaakt_op": self.aangemaakt_op,
            }
        )
