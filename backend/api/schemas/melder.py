"""Request and response models of the anonymous melder API.

Two ways to prove the right to a melding:

* ``bewijs`` (current meldcodes of 20 characters): the melder's Ed25519 public key,
  a challenge from ``POST /api/v1/melder/uitdaging`` and a signature; the meldcode
  itself never reaches the backend (``envelope/melder_auth.py``).
* ``meldcode`` (older meldcodes of 16 characters only): the code in the body, looked
  up and used by the backend as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from backend.api.schemas.checkin_status import CheckinVelden
from backend.api.schemas.meldingen import Sealed, base64_of
from backend.api.schemas.ontvangstbewijs import OntvangstbewijsOut
from backend.api.schemas.termijn import TermijnVelden
from backend.domain.berichten import MAX_TEKST
from envelope.meldcode import MeldcodeFormatError, format_meldcode, is_legacy

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEKST)]
EXAMPLE_CODE = "7KQ4-M2XD-9RTA-HB3C"
EXAMPLE_BEWIJS: dict[str, Any] = {
    "sleutel": "q1cM8n5eQ6k2mJq1pVw0Qm3r9bC4x0dI1kF7yZs2aXo=",
    "uitdaging": "1795000000.c2VjcmV0LW5vbmNlLWhlcmUx.0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "handtekening": "<base64 of a 64-byte Ed25519 signature>",
}

_STATUS_EXAMPLES: Any = [{"bewijs": EXAMPLE_BEWIJS}, {"meldcode": EXAMPLE_CODE}]
_TEKST_EXAMPLES: Any = [
    {"bewijs": EXAMPLE_BEWIJS, "bericht_id": "<uuid>", "sealed": {"v": "mw2"}},
    {"meldcode": EXAMPLE_CODE, "tekst": "Het gebeurde weer tijdens de briefing."},
]


class BewijsIn(BaseModel):
    """The melder's proof: a signature with the key derived from the meldcode."""

    model_config = ConfigDict(extra="forbid")

    sleutel: str = Field(min_length=44, max_length=44, description="Ed25519 public key, base64")
    uitdaging: str = Field(min_length=10, max_length=100, description="From /melder/uitdaging")
    handtekening: str = Field(min_length=88, max_length=88, description="Ed25519, base64")

    @field_validator("sleutel")
    @classmethod
    def _sleutel(cls, value: str) -> str:
        return base64_of(value, (32,), "sleutel")

    @field_validator("handtekening")
    @classmethod
    def _handtekening(cls, value: str) -> str:
        return base64_of(value, (64,), "handtekening")


class MeldcodeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": _STATUS_EXAMPLES},
    )

    bewijs: BewijsIn | None = Field(default=None, description="Current meldcodes: the proof.")
    meldcode: str | None = Field(
        default=None,
        max_length=64,
        description=(
            "Older meldcodes only (16 Crockford base32 characters). A current meldcode "
            "(20 characters) is refused: it must never leave the melder's side."
        ),
        examples=[EXAMPLE_CODE],
    )

    @field_validator("meldcode")
    @classmethod
    def _format(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            if not is_legacy(value):
                raise ValueError(
                    "a current meldcode is never sent: sign with the key derived from it"
                )
            return format_meldcode(value)
        except MeldcodeFormatError as exc:
            raise ValueError(str(exc)) from exc

    @model_validator(mode="after")
    def _one_proof(self) -> MeldcodeIn:
        if (self.bewijs is None) == (self.meldcode is None):
            raise ValueError("send either bewijs (current meldcodes) or meldcode (older ones)")
        return self

    def signed_body(self) -> dict[str, Any]:
        """The fields the melder's signature covers (all but the proof)."""
        return self.model_dump(mode="json", exclude={"bewijs", "meldcode"}, exclude_none=True)


class MelderTekstIn(MeldcodeIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": _TEKST_EXAMPLES},
    )

    tekst: Tekst | None = Field(
        default=None, description=f"Older meldcodes: the text, at most {MAX_TEKST} characters."
    )
    bericht_id: str | None = Field(
        default=None, min_length=36, max_length=36, description="Current: the id sealed with it"
    )
    sealed: Sealed | None = Field(
        default=None,
        description=(
            "Current meldcodes: the text sealed on the melder's side (mw2) to the loket's "
            "active key and the melder's key; associated data = envelope header + "
            '{"deel": soort, "bericht_id": bericht_id}.'
        ),
    )

    @model_validator(mode="after")
    def _content(self) -> MelderTekstIn:
        if self.bewijs is not None and (self.sealed is None or self.bericht_id is None):
            raise ValueError("with bewijs, send bericht_id and sealed (never the text)")
        if self.bewijs is not None and self.tekst is not None:
            raise ValueError("with bewijs the text is sealed, never sent in clear")
        if self.meldcode is not None and self.tekst is None:
            raise ValueError("tekst is required")
        return self


class UitdagingOut(BaseModel):
    uitdaging: str
    geldig_tot: datetime


class MelderBericht(BaseModel):
    id: str | None = None
    van: Literal["loket", "melder"]
    soort: Literal["bericht", "aanvulling"]
    verzonden_op: datetime
    tekst: str | None = Field(default=None, description="Older meldcodes: opened by the backend")
    sealed: dict[str, Any] | None = Field(
        default=None, description="Current meldcodes: for the melder's side to open"
    )


class LoketSleutel(BaseModel):
    kid: str
    public_key: str


class MelderStatusOut(TermijnVelden, CheckinVelden):
    melding_id: str
    status: str = Field(examples=["bevestigd"])
    loket: str = Field(examples=["vertrouwenspersoon"])
    loket_naam: str = Field(examples=["Vertrouwenspersoon (ongewenste omgangsvormen)"])
    eenheid: str = Field(examples=["rotterdam"])
    categorie: str = Field(examples=["pesten"])
    ontvangen_op: datetime
    bevestigd_op: datetime | None
    berichten: list[MelderBericht]
    kop: dict[str, str] | None = Field(
        default=None, description="Current meldcodes: the envelope header messages are bound to"
    )
    loket_sleutel: LoketSleutel | None = Field(
        default=None, description="Current meldcodes: the key a reply is sealed to"
    )
    vastgelegd_op: datetime | None = Field(
        default=None, description="Sent from a bewaarmelding: when the melder wrote it down"
    )
    ontvangstbewijs: OntvangstbewijsOut | None = Field(
        default=None, description="The signed receipt of this melding (docs/ontvangstbewijs.md)"
    )


class MelderActieOut(BaseModel):
    melding_id: str
    status: str
    verzonden_op: datetime | None = Field(
        default=None, description="When the message or aanvulling was stored."
    )
