"""API request and response models for sealed meldingen and loket keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from backend.routing.codes import CATEGORIEEN, EENHEDEN, LOKETTEN
from envelope.meldcode import MeldcodeFormatError, format_meldcode
from envelope.sealing import ALGORITHM, SealError, b64d

MAX_CIPHERTEXT_CHARS = 512 * 1024
KID_PATTERN = r"^[0-9a-f]{16}$"
GCM_TAG_BYTES = 16


def _base64_of(value: str, sizes: tuple[int, ...] | None, what: str) -> str:
    """Refuse anything but strict base64 of the expected length (nothing is rewritten)."""
    try:
        raw = b64d(value)
    except SealError as exc:
        raise ValueError(f"{what} is not base64") from exc
    if sizes is not None and len(raw) not in sizes:
        raise ValueError(f"{what} must be {' or '.join(map(str, sizes))} bytes")
    return value


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} code '{value[:40]}'")
    return value


class EnvelopeHeader(BaseModel):
    """The clear-text envelope: all the backend may see, bound to the ciphertext."""

    model_config = ConfigDict(extra="forbid")

    melding_id: str = Field(examples=["3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90"])
    loket: str = Field(examples=["vertrouwenspersoon"])
    eenheid: str = Field(examples=["rotterdam"])
    categorie: str = Field(examples=["pesten"])
    aangemaakt_op: str = Field(max_length=40, examples=["2026-11-26T10:15:00+00:00"])

    @field_validator("melding_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        # The content is sealed with the id as sent: a rewritten id could never open it.
        if len(value) != 36 or str(uuid.UUID(value)) != value:
            raise ValueError("melding_id must be a UUID in canonical lower-case form")
        return value

    @field_validator("loket", "eenheid", "categorie")
    @classmethod
    def _known_code(cls, value: str, info: ValidationInfo) -> str:
        allowed = {"loket": LOKETTEN, "eenheid": EENHEDEN, "categorie": CATEGORIEEN}
        field = str(info.field_name)
        return _one_of(value, allowed[field], field)

    @field_validator("aangemaakt_op")
    @classmethod
    def _timestamp(cls, value: str) -> str:
        datetime.fromisoformat(value)
        return value


class SealedRecipient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kid: str = Field(pattern=KID_PATTERN, description="16 lower-case hex characters")
    epk: str = Field(min_length=44, max_length=44, description="base64 of 32 bytes")
    nonce: str = Field(min_length=16, max_length=16, description="base64 of 12 bytes")
    wrapped_key: str = Field(min_length=64, max_length=64, description="base64 of 48 bytes")

    @field_validator("epk")
    @classmethod
    def _epk(cls, value: str) -> str:
        return _base64_of(value, (32,), "epk")

    @field_validator("nonce")
    @classmethod
    def _nonce(cls, value: str) -> str:
        return _base64_of(value, (12,), "nonce")

    @field_validator("wrapped_key")
    @classmethod
    def _wrapped(cls, value: str) -> str:
        return _base64_of(value, (32 + GCM_TAG_BYTES,), "wrapped_key")


class Sealed(BaseModel):
    """Envelope-encrypted content in format mw1 (see docs/encryption.md)."""

    model_config = ConfigDict(extra="forbid")

    v: Literal["mw1"] = "mw1"
    alg: Literal["X25519-HKDF-SHA256/AES-256-GCM"] = "X25519-HKDF-SHA256/AES-256-GCM"
    nonce: str = Field(min_length=16, max_length=16, description="base64 of 12 bytes")
    ciphertext: str = Field(min_length=24, max_length=MAX_CIPHERTEXT_CHARS)
    recipients: list[SealedRecipient] = Field(min_length=1, max_length=8)

    @field_validator("nonce")
    @classmethod
    def _nonce(cls, value: str) -> str:
        return _base64_of(value, (12,), "nonce")

    @field_validator("ciphertext")
    @classmethod
    def _ciphertext(cls, value: str) -> str:
        _base64_of(value, None, "ciphertext")
        if len(b64d(value)) <= GCM_TAG_BYTES:
            raise ValueError("ciphertext is too short")
        return value

    @field_validator("recipients")
    @classmethod
    def _distinct(cls, value: list[SealedRecipient]) -> list[SealedRecipient]:
        if len({r.kid for r in value}) != len(value):
            raise ValueError("every recipient kid may occur only once")
        return value


class MeldingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    envelope: EnvelopeHeader
    sealed: Sealed
    meldcode: str = Field(
        # "receipt": the older name, still in meldingen waiting in an action-server outbox.
        validation_alias=AliasChoices("meldcode", "receipt"),
        description=(
            "Meldcode chosen by the action server (the content is sealed to the melder key "
            "derived from it). Required: a code the backend made up could not be returned "
            "again to a retried request, and the melder would lose it."
        ),
        examples=["7KQ4-M2XD-9RTA-HB3C"],
    )

    melder_public_key: str | None = Field(
        default=None,
        min_length=44,
        max_length=44,
        description=(
            "The melder's X25519 public key (base64 of 32 bytes), derived from the meldcode "
            "with envelope.melder_key.melder_recipient; the content is sealed to it as well. "
            "It must fit the meldcode: the backend derives it itself when absent, and "
            "checks and corrects it when the melder first follows up."
        ),
        examples=["q1cM8n5eQ6k2mJq1pVw0Qm3r9bC4x0dI1kF7yZs2aXo="],
    )
    toestemming_doorsturen: bool = Field(
        default=False,
        description="The melder consents that the loket forwards the melding to another loket.",
    )
    sealed_identiteit: Sealed | None = Field(
        default=None,
        description=(
            "Identifying details the melder chose to give, sealed to the loket key only, with "
            'associated data = envelope header plus {"deel": "identiteit"}.'
        ),
    )

    @field_validator("meldcode")
    @classmethod
    def _meldcode(cls, value: str) -> str:
        try:
            return format_meldcode(value)
        except MeldcodeFormatError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("melder_public_key")
    @classmethod
    def _melder_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            raw = b64d(value)
        except SealError as exc:
            raise ValueError("melder_public_key is not base64") from exc
        if len(raw) != 32:
            raise ValueError("melder_public_key must be 32 bytes")
        return value


class MeldingOut(BaseModel):
    id: str
    meldcode: str = Field(
        description="The meldcode; only returned to the request that sent it (and its retries)."
    )
    status: str
    loket: str
    eenheid: str
    ontvangen_op: datetime
    termijn_soort: Literal["wet", "afspraak", "geen"] = Field(
        description=(
            "Which clock applies: 'wet' (Wet bescherming klokkenluiders, "
            "meldpunt_misstanden), 'afspraak' (a term the organisation set) or 'geen'."
        )
    )
    bevestigen_voor: datetime | None = Field(description="None when the route has no such term.")
    terugkoppeling_voor: datetime | None = Field(
        description="None when the route has no such term."
    )


class PublicKeyOut(BaseModel):
    loket: str
    eenheid: str
    kid: str
    public_key: str = Field(description="X25519 public key, base64 of 32 raw bytes")
    algorithm: str = ALGORITHM
