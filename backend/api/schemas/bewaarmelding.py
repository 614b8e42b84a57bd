"""Request and response models of bewaarmeldingen (docs/bewaarmelding.md).

A bewaarmelding is stored by a registered action server (``POST
/api/v1/bewaarmeldingen``), sealed to the melder's key only. Opening, adding to,
deleting and sending it are the melder's requests, signed with the key derived
from the meldcode (``bewijs``); an older 16-character meldcode has no bewaarmelding.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.api.schemas.melder import MeldcodeIn
from backend.api.schemas.meldingen import EnvelopeHeader, MeldingOut, Sealed, base64_of


def _canonical_uuid(value: str) -> str:
    if len(value) != 36 or str(uuid.UUID(value)) != value:
        raise ValueError("must be a UUID in canonical lower-case form")
    return value


class BewaarIn(BaseModel):
    """Store a bewaarmelding (from a registered action server)."""

    model_config = ConfigDict(extra="forbid")

    bewaar_id: str = Field(examples=["3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90"])
    sealed: Sealed = Field(
        description=(
            'mw2, sealed to the melder\'s X25519 key only; associated data {"bewaar_id": …, '
            '"deel": "bewaarmelding"}. A wrap for any other key is refused.'
        )
    )
    melder_sleutel: str = Field(
        min_length=44, max_length=44, description="The melder's Ed25519 public key, base64"
    )
    melder_handtekening: str = Field(
        min_length=88,
        max_length=88,
        description="Ed25519 over envelope.bewaarmelding.bewaar_message(bewaar_id, sealed)",
    )

    @field_validator("bewaar_id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _canonical_uuid(value)

    @field_validator("melder_sleutel")
    @classmethod
    def _sleutel(cls, value: str) -> str:
        return base64_of(value, (32,), "melder_sleutel")

    @field_validator("melder_handtekening")
    @classmethod
    def _handtekening(cls, value: str) -> str:
        return base64_of(value, (64,), "melder_handtekening")


class BewaarOut(BaseModel):
    bewaar_id: str
    vastgelegd_op: datetime
    verloopt_op: datetime = Field(description="The record is deleted automatically after this.")


class BewaardIn(MeldcodeIn):
    """The melder's proof (current meldcodes only)."""

    @model_validator(mode="after")
    def _current_code(self) -> BewaardIn:
        if self.bewijs is None:
            raise ValueError("a bewaarmelding is opened with bewijs only")
        return self


class BewaardOpenOut(BewaarOut):
    sealed: dict = Field(description="The record, for the melder's side to open")
    bijgewerkt_op: datetime | None = None


class BewaardAanvullenIn(BewaardIn):
    sealed: Sealed = Field(
        description="The whole record sealed again to the melder's key only (it replaces it)"
    )


class BewaardVerstuurIn(BewaardIn):
    """Send the bewaarmelding: an ordinary mw2 submission whose melder key is the proof's."""

    envelope: EnvelopeHeader
    sealed: Sealed
    melder_handtekening: str = Field(min_length=88, max_length=88)
    toestemming_doorsturen: bool
    sealed_identiteit: Sealed | None = None

    @field_validator("melder_handtekening")
    @classmethod
    def _handtekening(cls, value: str) -> str:
        return base64_of(value, (64,), "melder_handtekening")


class BewaardVerstuurdOut(MeldingOut):
    vastgelegd_op: datetime
