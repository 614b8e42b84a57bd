"""The check-in fields of the melder's status answer (docs/checkin.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Maanden = Literal[1, 3, 6]


class CheckinOpen(BaseModel):
    moment: Maanden = Field(description="Months after the melding")
    open_tot: datetime = Field(description="The check-in can be answered until then")
    beantwoord: bool


class CheckinVelden(BaseModel):
    """Added to the melder's status answer."""

    checkin: CheckinOpen | None = Field(
        default=None, description="The check-in open now (current meldcodes; not withdrawn)"
    )
    checkin_momenten: list[datetime] = Field(
        default_factory=list, description="The three check-in moments (1, 3, 6 months)"
    )
    checkin_volgende: datetime | None = Field(
        default=None, description="When the next check-in opens"
    )
