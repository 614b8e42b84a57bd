"""The ontvangstbewijs (signed receipt) as the API hands it out, and the verify answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditPositie(BaseModel):
    volgnummer: int = Field(description="The audit-log entry that records this receipt")
    hash: str = Field(description="That entry's hash (SHA-256, hex) in the hash chain")


class OntvangstbewijsOut(BaseModel):
    """Signed by the backend's bewijssleutel; holds no content (docs/ontvangstbewijs.md)."""

    formaat: str = Field(examples=["meldwijzer.ontvangstbewijs/1"])
    melding_id: str
    loket: str = Field(examples=["vertrouwenspersoon"])
    eenheid: str = Field(examples=["rotterdam"])
    ontvangen_op: str = Field(
        description="ISO 8601, UTC, exactly as signed", examples=["2026-12-02T10:15:00+00:00"]
    )
    inhoud_sha256: str = Field(description="SHA-256 (hex) of the canonical JSON of `sealed`")
    identiteit_sha256: str | None = Field(
        description="SHA-256 (hex) of the canonical JSON of `sealed_identiteit`, if sent"
    )
    audit: AuditPositie
    sleutel_id: str = Field(description="Key id of the bewijssleutel that signed")
    handtekening: str = Field(description="Ed25519 signature, base64")


class BewijssleutelOut(BaseModel):
    sleutel_id: str
    public_key: str = Field(description="Ed25519 public key, base64 of 32 raw bytes")
    actief: bool = Field(description="False: retired, but receipts it signed stay valid")
    aangemaakt_op: datetime


class BewijssleutelsOut(BaseModel):
    algoritme: str = "Ed25519"
    sleutels: list[BewijssleutelOut]


class ControleOut(BaseModel):
    geldig: bool
    melding_nl: str
    message_en: str
    in_auditketen: bool | None = Field(
        default=None, description="Whether the audit entry the receipt names is in the chain"
    )
    velden: dict[str, Any] = Field(default_factory=dict)


def receipt_out(bewijs: dict[str, Any] | None) -> OntvangstbewijsOut | None:
    return OntvangstbewijsOut.model_validate(bewijs) if bewijs is not None else None
