"""Request and response models of the anonymous melder API (meldcode in the body only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from backend.domain.berichten import MAX_TEKST
from envelope.meldcode import MeldcodeFormatError, format_meldcode

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEKST)]
EXAMPLE_CODE = "7KQ4-M2XD-9RTA-HB3C"


class MeldcodeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"meldcode": EXAMPLE_CODE}]}
    )

    meldcode: str = Field(
        max_length=64,
        description="The meldcode (16 Crockford base32 characters, dashes and spaces allowed).",
        examples=[EXAMPLE_CODE],
    )

    @field_validator("meldcode")
    @classmethod
    def _format(cls, value: str) -> str:
        try:
            return format_meldcode(value)
        except MeldcodeFormatError as exc:
            raise ValueError(str(exc)) from exc


class MelderTekstIn(MeldcodeIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"meldcode": EXAMPLE_CODE, "tekst": "Het gebeurde weer tijdens de briefing."}
            ]
        },
    )

    tekst: Tekst = Field(description=f"At most {MAX_TEKST} characters.")


class MelderBericht(BaseModel):
    van: Literal["loket", "melder"]
    soort: Literal["bericht", "aanvulling"]
    verzonden_op: datetime
    tekst: str


class MelderStatusOut(BaseModel):
    melding_id: str
    status: str = Field(examples=["bevestigd"])
    loket: str = Field(examples=["vertrouwenspersoon"])
    loket_naam: str = Field(examples=["Vertrouwenspersoon (ongewenste omgangsvormen)"])
    eenheid: str = Field(examples=["rotterdam"])
    categorie: str = Field(examples=["pesten"])
    ontvangen_op: datetime
    termijn_soort: Literal["wet", "afspraak", "geen"] = Field(
        description=(
            "Which clock applies: 'wet' (Wet bescherming klokkenluiders, "
            "meldpunt_misstanden), 'afspraak' (a term the organisation set) or 'geen'."
        )
    )
    termijn_label: str = Field(
        examples=["wettelijke termijn"],
        description="'wettelijke termijn', 'afspraak' or 'geen termijn' (Dutch, for display).",
    )
    bevestigen_voor: datetime | None = Field(description="None when the route has no such term.")
    terugkoppeling_voor: datetime | None = Field(
        description="None when the route has no such term."
    )
    bevestigd_op: datetime | None
    berichten: list[MelderBericht]


class MelderActieOut(BaseModel):
    melding_id: str
    status: str
    verzonden_op: datetime | None = Field(
        default=None, description="When the message or aanvulling was stored."
    )
