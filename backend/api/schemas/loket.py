"""Request and response models of the loket API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backend.api.schemas.checkin import LoketCheckin
from backend.api.schemas.termijn import TermijnVelden
from backend.domain.berichten import MAX_TEKST

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEKST)]


class LoginIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"naam": "vp.rotterdam.1", "wachtwoord": "een lang wachtwoord"}]
        },
    )

    naam: str = Field(min_length=1, max_length=80)
    wachtwoord: str = Field(min_length=1, max_length=1024)


class GebruikerOut(BaseModel):
    naam: str
    loket: str
    eenheid: str = Field(description="Eenheid code, or 'landelijk' for a national loket.")
    rol: Literal["behandelaar", "coordinator"]


class LoginOut(BaseModel):
    token: str = Field(description="Bearer token; send as 'Authorization: Bearer <token>'.")
    verloopt_op: datetime
    gebruiker: GebruikerOut


class MeldingSamenvatting(TermijnVelden):
    id: str
    loket: str
    eenheid: str
    categorie: str
    status: str
    ontvangen_op: datetime
    bevestigd_op: datetime | None
    teruggekoppeld_op: datetime | None
    afgerond_op: datetime | None
    ingetrokken_op: datetime | None
    doorverwezen_van: str | None
    toestemming_doorsturen: bool
    heeft_identiteit: bool
    te_laat: list[Literal["bevestiging", "terugkoppeling"]] = Field(
        description="Deadlines (legal or afspraak) that have passed without being met."
    )
    vastgelegd_op: datetime | None = Field(
        default=None,
        description=(
            "Sent from a bewaarmelding: when the melder first wrote it down (the clock "
            "starts at ontvangen_op, the sending time)."
        ),
    )
    checkin_signalen: list[int] = Field(
        default_factory=list,
        description="Check-ins (months after the melding) at which the melder reported "
        "nadelige gevolgen: a retaliation signal, readable without a key (docs/checkin.md).",
    )


class InboxOut(BaseModel):
    aantal: int
    meldingen: list[MeldingSamenvatting]


class LoketBericht(BaseModel):
    id: str
    van: Literal["loket", "melder"]
    soort: Literal["bericht", "aanvulling", "notitie"]
    verzonden_op: datetime
    door: str | None = Field(description="The loket user who wrote it (None for the melder).")
    tekst: str


class MeldingDetail(MeldingSamenvatting):
    inhoud: dict[str, Any] = Field(description="The decrypted structured melding.")
    identiteit: dict[str, Any] | None = Field(
        description="Identifying details, only if the melder gave them."
    )
    berichten: list[LoketBericht]
    checkins: list[LoketCheckin] = Field(
        default_factory=list, description="The melder's check-in answers, opened in session."
    )


class StatusIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"status": "bevestigd"}]}
    )

    status: Literal["bevestigd", "in_behandeling", "afgerond"]


class TekstIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"tekst": "Dank je voor je melding. We bellen je niet; we schrijven je hier."}
            ]
        },
    )

    tekst: Tekst


class BerichtOut(BaseModel):
    id: str
    melding_id: str
    soort: Literal["bericht", "notitie"]
    verzonden_op: datetime


class DoorsturenIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"loket": "vik", "identiteit_meesturen": False}]},
    )

    loket: str = Field(max_length=40, description="The loket to forward to (receives digitally).")
    identiteit_meesturen: bool = Field(
        default=False, description="Also give the new loket the identifying details."
    )


class TermijnOut(BaseModel):
    melding_id: str
    loket: str
    eenheid: str
    soort: Literal["bevestiging", "terugkoppeling"]
    uiterlijk: datetime
    te_laat: bool
    termijn_soort: Literal["wet", "afspraak"]
    termijn_label: str = Field(examples=["wettelijke termijn"])


class TermijnenOut(BaseModel):
    binnen_dagen: int
    te_laat: list[TermijnOut]
    binnenkort: list[TermijnOut]


class Cel(BaseModel):
    waarde: str
    aantal: int | None = Field(
        description="None when the cell is suppressed: fewer than 5, or hidden so that "
        "a suppressed cell cannot be worked out from the others."
    )
    onderdrukt: bool


class StatistiekOut(BaseModel):
    periode: str = Field(description="The closed quarter, e.g. 2026-K3 (meldingen received).")
    van: date
    tot: date = Field(description="First day after the quarter.")
    gepubliceerd_op: datetime = Field(
        description="When the tables of this quarter were computed; they never change."
    )
    onderdrukt_onder: int
    totaal: Cel
    per_categorie: list[Cel]
    per_eenheid: list[Cel]
    per_loket: list[Cel]
    per_maand: list[Cel]
    per_status: list[Cel]
    per_termijn_soort: list[Cel] = Field(
        description="Meldingen per clock kind: wet, afspraak, geen."
    )
    termijn_nakoming: list[Cel] = Field(
        description=(
            "Deadlines per 'kind deadline outcome', e.g. 'wet bevestiging op_tijd'. Outcomes: "
            "op_tijd (met in time), te_laat (met late, or open past the deadline), loopt "
            "(open, not yet due). Kinds without a deadline are not counted."
        )
    )
    afgerond: Cel
    mediane_behandelduur_dagen: float | None = Field(
        description="Median whole days from receipt to closing; None if fewer than 5 closed "
        "or if the number closed is hidden."
    )
