"""The clock fields of a melding as the loket API and the melder API show them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class TermijnVelden(BaseModel):
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
