"""API request and response models for sealed meldingen and loket keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from backend.api.schemas.ontvangstbewijs import OntvangstbewijsOut
from backend.routing.codes import CATEGORIEEN, EENHEDEN, LOKETTEN
from envelope.meldcode import MeldcodeFormatError, format_meldcode, is_legacy
from envelope.sealing import ALGORITHM, FORMATS, MW1_VERSION, SealError, b64d

MAX_CIPHERTEXT_CHARS = 512 * 1024
KID_PATTERN = r"^[0-9a-f]{16}$"
GCM_TAG_BYTES = 16
WRAPPED_MW1 = 32 + GCM_TAG_BYTES  # AES-GCM of the 32-byte data key
WRAPPED_MW2 = 32 + 32 + GCM_TAG_BYTES  # HPKE enc (X25519) + sealed data key


def base64_of(value: str, sizes: tuple[int, ...] | None, what: str) -> str:
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
    """mw2: kid + wrapped_key (HPKE enc ‖ ciphertext); mw1 also epk and nonce."""

    model_config = ConfigDict(extra="forbid")

    kid: str = Field(pattern=KID_PATTERN, description="16 lower-case hex characters")
    epk: str | None = Field(default=None, min_length=44, max_length=44, description="mw1 only")
    nonce: str | None = Field(default=None, min_length=16, max_length=16, description="mw1 only")
    wrapped_key: str = Field(
        min_length=64, max_length=108, description="base64: mw2 80 bytes, mw1 48 bytes"
    )

    @field_validator("epk")
    @classmethod
    def _epk(cls, value: str | None) -> str | None:
        return None if value is None else base64_of(value, (32,), "epk")

    @field_validator("nonce")
    @classmethod
    def _nonce(cls, value: str | None) -> str | None:
        return None if value is None else base64_of(value, (12,), "nonce")

    @field_validator("wrapped_key")
    @classmethod
    def _wrapped(cls, value: str) -> str:
        return base64_of(value, (WRAPPED_MW1, WRAPPED_MW2), "wrapped_key")


class Sealed(BaseModel):
    """Envelope-encrypted content in format mw2, or the older mw1 (docs/encryption.md)."""

    model_config = ConfigDict(extra="forbid")

    v: Literal["mw2", "mw1"] = "mw2"
    alg: Literal[
        "HPKE-Base-X25519-SHA256-AES256GCM/AES-256-GCM", "X25519-HKDF-SHA256/AES-256-GCM"
    ] = ALGORITHM  # type: ignore[assignment]
    nonce: str = Field(min_length=16, max_length=16, description="base64 of 12 bytes")
    ciphertext: str = Field(min_length=24, max_length=MAX_CIPHERTEXT_CHARS)
    recipients: list[SealedRecipient] = Field(min_length=1, max_length=8)

    @field_validator("nonce")
    @classmethod
    def _nonce(cls, value: str) -> str:
        return base64_of(value, (12,), "nonce")

    @field_validator("ciphertext")
    @classmethod
    def _ciphertext(cls, value: str) -> str:
        base64_of(value, None, "ciphertext")
        if len(b64d(value)) <= GCM_TAG_BYTES:
            raise ValueError("ciphertext is too short")
        return value

    @field_validator("recipients")
    @classmethod
    def _distinct(cls, value: list[SealedRecipient]) -> list[SealedRecipient]:
        if len({r.kid for r in value}) != len(value):
            raise ValueError("every recipient kid may occur only once")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Sealed:
        if FORMATS[self.v] != self.alg:
            raise ValueError(f"format {self.v} has algorithm {FORMATS[self.v]}")
        wrapped = WRAPPED_MW1 if self.v == MW1_VERSION else WRAPPED_MW2
        for r in self.recipients:
            if (self.v == MW1_VERSION) != (r.epk is not None and r.nonce is not None):
                raise ValueError("mw1 recipients have epk and nonce, mw2 recipients have not")
            if len(b64d(r.wrapped_key)) != wrapped:
                raise ValueError(f"a {self.v} wrapped_key has {wrapped} bytes")
        return self

    def stored(self) -> dict[str, Any]:
        """As stored and sealed: without the fields the format does not have."""
        return self.model_dump(exclude_none=True)


class MeldingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    envelope: EnvelopeHeader
    sealed: Sealed
    melder_sleutel: str | None = Field(
        default=None,
        min_length=44,
        max_length=44,
        description=(
            "The melder's Ed25519 public key (base64 of 32 bytes), derived from the meldcode "
            "on the melder's side (envelope.melder_key.melder_keys). The backend stores it to "
            "check the melder's signatures later, and computes the melder's X25519 key from "
            "it: the content must be sealed to that key."
        ),
        examples=["q1cM8n5eQ6k2mJq1pVw0Qm3r9bC4x0dI1kF7yZs2aXo="],
    )
    melder_handtekening: str | None = Field(
        default=None,
        min_length=88,
        max_length=88,
        description=(
            "Ed25519 signature with the melder's key over the melding id and a digest of "
            "`sealed` (envelope.melder_auth.submission_message): proves the key is the "
            "melder's. A submission whose key or signature does not fit is refused."
        ),
    )
    meldcode: str | None = Field(
        default=None,
        # "receipt": the older name, still in meldingen waiting in an action-server outbox.
        validation_alias=AliasChoices("meldcode", "receipt"),
        description=(
            "Older clients only: a 16-character meldcode (meldingen that waited in an "
            "action-server outbox across the upgrade). A current meldcode is refused."
        ),
        examples=["7KQ4-M2XD-9RTA-HB3C"],
    )
    melder_public_key: str | None = Field(
        default=None,
        min_length=44,
        max_length=44,
        description=(
            "The melder's X25519 public key (base64 of 32 bytes). Optional: with "
            "melder_sleutel it must equal the key computed from it; with an older meldcode "
            "it must equal the key derived from that code."
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
    def _meldcode(cls, value: str | None) -> str | None:
        try:
            if value is not None and not is_legacy(value):
                raise ValueError("a current meldcode never leaves the melder's side")
            return None if value is None else format_meldcode(value)
        except MeldcodeFormatError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("melder_public_key", "melder_sleutel", "melder_handtekening")
    @classmethod
    def _melder_key(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        size = 64 if info.field_name == "melder_handtekening" else 32
        return base64_of(value, (size,), str(info.field_name))

    @model_validator(mode="after")
    def _one_melder_proof(self) -> MeldingIn:
        if self.melder_sleutel is not None:
            if self.melder_handtekening is None or self.meldcode is not None:
                raise ValueError("melder_sleutel needs melder_handtekening and no meldcode")
        elif self.meldcode is None:
            raise ValueError(
                "melder_sleutel and melder_handtekening are required (the melder's key)"
            )
        return self


class MeldingOut(BaseModel):
    id: str
    meldcode: str | None = Field(
        default=None,
        description="Only for an older client that sent a 16-character meldcode: echoed.",
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
    ontvangstbewijs: OntvangstbewijsOut | None = Field(
        default=None, description="The signed receipt for the melder (docs/ontvangstbewijs.md)"
    )


class PublicKeyOut(BaseModel):
    loket: str
    eenheid: str
    kid: str
    public_key: str = Field(description="X25519 public key, base64 of 32 raw bytes")
    algorithm: str = ALGORITHM
