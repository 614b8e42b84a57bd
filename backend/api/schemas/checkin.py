"""Request and response models of the check-ins after a melding (docs/checkin.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.api.schemas.checkin_status import Maanden
from backend.api.schemas.melder import EXAMPLE_BEWIJS, MeldcodeIn
from backend.api.schemas.meldingen import Sealed


class CheckinIn(MeldcodeIn):
    """The melder's answer to the open check-in; current meldcodes (``bewijs``) only."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "bewijs": EXAMPLE_BEWIJS,
                    "moment": 3,
                    "nadelige_gevolgen": True,
                    "sealed": {"v": "mw2"},
                }
            ]
        },
    )

    moment: Maanden = Field(description="The open check-in: months after the melding")
    nadelige_gevolgen: bool = Field(
        description="Clear-text signal for the loket's clock list: true only for 'ja'"
    )
    sealed: Sealed = Field(
        description=(
            'The answer {"antwoord": "ja"|"nee"|"weet_niet", "tekst"?} sealed on the '
            "melder's side (mw2) to the loket's active key and the melder's key; associated "
            'data = envelope header + {"deel": "checkin", "moment": "<moment>"}.'
        )
    )

    @model_validator(mode="after")
    def _signed_only(self) -> CheckinIn:
        if self.bewijs is None:
            raise ValueError("a check-in is answered with bewijs (a current meldcode) only")
        return self


class CheckinOut(BaseModel):
    melding_id: str
    moment: Maanden
    beantwoord_op: datetime
    volgende: datetime | None = Field(description="When the next check-in opens, if any")


class LoketCheckin(BaseModel):
    moment: Maanden
    beantwoord_op: datetime
    nadelige_gevolgen: bool = Field(description="The clear-text signal the melder sent")
    antwoord: Literal["ja", "nee", "weet_niet"] | None = Field(
        description="Opened in this session (None if no key of the session opens it)"
    )
    tekst: str | None = None
