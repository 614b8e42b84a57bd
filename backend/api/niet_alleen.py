""" "Niet alleen" matching (docs/matching.md): the melder's OPRF evaluation, entries,
match state and consent; the vertrouwenspersoon's list of matches.

Every melder route needs the melder's signed proof (``bewijs``) of a current meldcode,
like the follow-up API: the OPRF is no free oracle, each melding gets
``MAX_EVALUATIES`` evaluations and ``MAX_VERMELDINGEN`` entries. Failing proofs count
against the same guessing budget as the follow-up API.
"""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from backend.api.deps import LoginDep, SessionDep, session_keys
from backend.api.errors import ApiError
from backend.api.melder import WITHDRAWN, with_melding
from backend.api.schemas.melder import MeldcodeIn
from backend.api.schemas.meldingen import base64_of
from backend.domain import niet_alleen as domain
from backend.storage.clock import as_utc
from backend.storage.models import Melding
from envelope.niet_alleen import open_inner
from envelope.oprf import OprfError
from envelope.sealing import SealError, b64d, b64e, recipient_kids

_HEX = re.compile(r"^[0-9a-f]{1,64}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

BUDGET_OP = ApiError(
    429,
    "niet_alleen_budget_op",
    "Je hebt voor deze melding al vaak genoeg iemand genoemd.",
    "This melding has used all its matching requests.",
)
ONGELDIG = ApiError(
    422,
    "niet_alleen_ongeldig",
    "Dit kunnen we niet opslaan. Probeer het opnieuw in de chat.",
    "This entry is not valid and was not stored.",
)
GEEN_OVEREENKOMST = ApiError(
    404,
    "niet_alleen_geen_overeenkomst",
    "Hier is (nog) geen overeenkomst voor. Je hoeft niets te kiezen.",
    "There is no match for this entry (yet).",
)
ALLEEN_VERTROUWENSPERSOON = ApiError(
    403,
    "alleen_vertrouwenspersoon",
    "Alleen de vertrouwenspersoon ziet mogelijke overeenkomsten.",
    "Only the vertrouwenspersoon sees possible matches.",
)


class _Signed(MeldcodeIn):
    """Current meldcodes only: the proof, never a meldcode."""

    @model_validator(mode="after")
    def _bewijs(self) -> _Signed:
        if self.bewijs is None:
            raise ValueError("Niet alleen needs bewijs (a current meldcode)")
        return self


class EvaluatieIn(_Signed):
    model_config = ConfigDict(extra="forbid")

    geblindeerd: str = Field(description="The blinded ristretto255 element, base64 (32 bytes)")

    @field_validator("geblindeerd")
    @classmethod
    def _element(cls, value: str) -> str:
        return base64_of(value, (32,), "geblindeerd")


class EvaluatieOut(BaseModel):
    geevalueerd: str = Field(description="The evaluated element, base64 (32 bytes)")


class RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nonce: str
    ct: str = Field(max_length=20000)

    @field_validator("nonce")
    @classmethod
    def _nonce(cls, value: str) -> str:
        return base64_of(value, (12,), "nonce")

    @field_validator("ct")
    @classmethod
    def _ct(cls, value: str) -> str:
        return base64_of(value, None, "ct")


class VermeldingIn(_Signed):
    model_config = ConfigDict(extra="forbid")

    vermelding_id: str = Field(min_length=36, max_length=36)
    index: str = Field(min_length=64, max_length=64, description="SHA-256(oprf_out ‖ 'index')")
    x: str = Field(min_length=1, max_length=64, description="Shamir x, hex")
    y: str = Field(min_length=1, max_length=64, description="Shamir y, hex")
    record: RecordIn

    @field_validator("vermelding_id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _UUID.match(value):
            raise ValueError("vermelding_id must be a lowercase UUID")
        return value

    @field_validator("index", "x", "y")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError("lowercase hex expected")
        return value


class InstemmingIn(_Signed):
    model_config = ConfigDict(extra="forbid")

    vermelding_id: str = Field(min_length=36, max_length=36)
    instemming: bool


class VermeldingOut(BaseModel):
    vermelding_id: str
    aangemaakt_op: datetime
    overeenkomst: bool = Field(description="Another melder named the same person")
    instemming: bool | None = Field(description="The melder's choice: connect (true) or not")


class NietAlleenStatusOut(BaseModel):
    melding_id: str
    vermeldingen: list[VermeldingOut]


router = APIRouter(prefix="/api/v1/melder/niet-alleen", tags=["melder", "niet alleen"])


def _open(m: Melding) -> None:
    if m.status == "ingetrokken":
        raise WITHDRAWN


@router.post("/evaluatie", summary="OPRF evaluation of a blinded element (RFC 9497)")
async def evaluatie(request: Request, body: EvaluatieIn) -> EvaluatieOut:
    def work(session: Session, m: Melding) -> EvaluatieOut:
        _open(m)
        try:
            evaluated = domain.evaluate(session, m, b64d(body.geblindeerd))
        except domain.BudgetOp:
            raise BUDGET_OP from None
        except OprfError:
            raise ONGELDIG from None
        return EvaluatieOut(geevalueerd=b64e(evaluated))

    return await with_melding(request, "niet-alleen-evaluatie", body, work)


@router.post("/vermeldingen", status_code=201, summary="Store one entry; matches are found here")
async def vermelding(request: Request, body: VermeldingIn) -> NietAlleenStatusOut:
    def work(session: Session, m: Melding) -> NietAlleenStatusOut:
        _open(m)
        try:
            domain.add_entry(
                session, m, body.vermelding_id, body.index, body.x, body.y, body.record.model_dump()
            )
        except domain.BudgetOp:
            raise BUDGET_OP from None
        except domain.OngeldigeVermelding:
            raise ONGELDIG from None
        # Match state is told on the follow-up page, not here.
        return NietAlleenStatusOut(melding_id=m.id, vermeldingen=[])

    return await with_melding(request, "niet-alleen-vermelding", body, work)


def _status(session: Session, m: Melding) -> NietAlleenStatusOut:
    return NietAlleenStatusOut(
        melding_id=m.id,
        vermeldingen=[
            VermeldingOut(
                vermelding_id=v.vermelding_id,
                aangemaakt_op=as_utc(v.aangemaakt_op),
                overeenkomst=v.overeenkomst,
                instemming=v.instemming,
            )
            for v in domain.of_melding(session, m)
        ],
    )


@router.post("/status", summary="The melder's entries and whether each has a match")
async def status(request: Request, body: _Signed) -> NietAlleenStatusOut:
    return await with_melding(request, "niet-alleen-status", body, _status)


@router.post("/instemming", summary="The melder's choice: be connected or not")
async def instemming(request: Request, body: InstemmingIn) -> NietAlleenStatusOut:
    def work(session: Session, m: Melding) -> NietAlleenStatusOut:
        if domain.set_instemming(session, m, body.vermelding_id, body.instemming) is None:
            raise GEEN_OVEREENKOMST
        return _status(session, m)

    return await with_melding(request, "niet-alleen-instemming", body, work)


# --- the vertrouwenspersoon ------------------------------------------------------------


class GroepDeelOut(BaseModel):
    vermelding_id: str | None
    melding_id: str | None
    eenheid: str
    instemming: bool | None
    persoon: dict[str, str] | None = Field(
        description="The named person's form, opened with this vertrouwenspersoon's key"
    )


class OvereenkomstOut(BaseModel):
    groep: str
    gematcht_op: datetime
    aantal_melders: int
    delen: list[GroepDeelOut]


loket_router = APIRouter(prefix="/api/v1/loket/niet-alleen", tags=["loket", "niet alleen"])


def overeenkomsten(
    session: Session, loket: str, eenheid: str, keys: dict[str, bytes]
) -> list[OvereenkomstOut]:
    """The matches this user may see, with the forms opened by the user's keys."""
    result = []
    for o in domain.for_vertrouwenspersoon(session, loket, eenheid):
        delen = []
        for d in o.delen:
            persoon = None
            if d.inner is not None and d.vermelding_id is not None:
                for kid in recipient_kids(d.inner):
                    if kid in keys:
                        try:
                            persoon = open_inner(d.inner, d.vermelding_id, d.eenheid, keys[kid])
                        except (SealError, ValueError):
                            persoon = None
                        break
            delen.append(
                GroepDeelOut(
                    vermelding_id=d.vermelding_id,
                    melding_id=d.melding_id,
                    eenheid=d.eenheid,
                    instemming=d.instemming,
                    persoon=persoon,
                )
            )
        result.append(
            OvereenkomstOut(
                groep=o.groep,
                gematcht_op=as_utc(o.gematcht_op),
                aantal_melders=o.melders,
                delen=delen,
            )
        )
    return result


@loket_router.get("", summary="Possible matches (vertrouwenspersoon only)")
def lijst(session: SessionDep, login: LoginDep) -> list[OvereenkomstOut]:
    gebruiker = login.gebruiker
    if gebruiker.loket != domain.VERTROUWENSPERSOON:
        raise ALLEEN_VERTROUWENSPERSOON
    return overeenkomsten(session, gebruiker.loket, gebruiker.eenheid, session_keys(login))
