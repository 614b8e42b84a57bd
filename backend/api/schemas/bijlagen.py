"""Request and response models of bijlagen (files; docs/bijlagen.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.api.schemas.melder import EXAMPLE_BEWIJS, MeldcodeIn
from backend.api.schemas.meldingen import Sealed


class BijlageNieuwIn(MeldcodeIn):
    """Announce one file: its sealed manifest and the size of its ciphertext."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "bewijs": EXAMPLE_BEWIJS,
                    "bijlage_id": "<uuid>",
                    "manifest": {"v": "mw2"},
                    "grootte": 524304 + 1040,
                    "delen": 2,
                }
            ]
        },
    )

    bijlage_id: str = Field(min_length=36, max_length=36, description="A fresh UUID")
    manifest: Sealed = Field(
        description=(
            "The mwf1 manifest sealed (mw2) to the loket's active key and the melder's key; "
            'associated data = envelope header + {"deel": "bijlage", "bijlage_id": …}.'
        )
    )
    grootte: int = Field(ge=16, le=2**31, description="Ciphertext bytes of all chunks")
    delen: int = Field(ge=1, le=4096, description="Number of chunks")

    @model_validator(mode="after")
    def _current_only(self) -> BijlageNieuwIn:
        if self.bewijs is None:
            raise ValueError("bijlagen need bewijs (a current meldcode)")
        return self


class BijlageUploadOut(BaseModel):
    bijlage_id: str
    token: str = Field(description="Send as X-Bijlage-Token with every chunk; shown once")
    deel_grootte: int = Field(description="Ciphertext bytes of every chunk but the last")
    delen: int
    verloopt_op: datetime


class BijlageStandOut(BaseModel):
    bijlage_id: str
    status: str
    delen: int
    ontvangen: list[int] = Field(description="Chunk numbers stored so far (resume the rest)")


class AfrondenIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"grootte": 525344, "sha256": "9f86d08188…"}]},
    )

    grootte: int = Field(ge=16, le=2**31)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="Of the whole ciphertext")


class BijlageOut(BaseModel):
    """A bijlage as the loket sees it (manifest opened in the session)."""

    id: str
    naam: str
    type: str
    grootte: int
    verwijderd: list[str]
    let_op: list[str]
    waarschuwing: str | None
    toegevoegd_op: datetime | None


class BijlagenOut(BaseModel):
    bijlagen: list[BijlageOut]
    niet_te_openen: int = Field(description="Bijlagen this session has no key for")


class MelderBijlage(BaseModel):
    """A finished bijlage as the melder's side gets it: the manifest still sealed."""

    id: str
    manifest: dict[str, Any] = Field(description="Sealed (mw2); the melder's side opens it")
    toegevoegd_op: datetime | None


class MelderBijlagenOut(BaseModel):
    kop: dict[str, str] = Field(description="The envelope header the manifests are bound to")
    bijlagen: list[MelderBijlage]
