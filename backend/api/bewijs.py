"""The public receipt API: the bewijssleutels and checking an ontvangstbewijs.

No login and nothing stored: a public key is public, and checking a receipt reads
only public keys and the audit log (docs/ontvangstbewijs.md). The PDF of a receipt
is rendered by the pages (``POST /bewijs/pdf``, backend/pages/bewijs.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from backend.api.deps import SessionDep
from backend.api.schemas.ontvangstbewijs import BewijssleutelOut, BewijssleutelsOut, ControleOut
from backend.domain.ontvangstbewijs import Uitslag, check
from backend.keys.bewijssleutel import aangemaakt, public_keys
from backend.pages.bewijs import uitslag_nl

router = APIRouter(prefix="/api/v1/bewijs", tags=["ontvangstbewijs"])


def controle_out(uitslag: Uitslag) -> ControleOut:
    return ControleOut(
        geldig=uitslag.geldig,
        melding_nl=uitslag_nl(uitslag.code),
        message_en=uitslag.reason_en,
        in_auditketen=uitslag.keten,
        velden=uitslag.velden,
    )


@router.get(
    "/sleutels",
    summary="Every public key receipts were ever signed with (active and retired)",
)
def sleutels(session: SessionDep) -> BewijssleutelsOut:
    rows = sorted(public_keys(session).values(), key=aangemaakt)
    return BewijssleutelsOut(
        sleutels=[
            BewijssleutelOut(
                sleutel_id=row.kid,
                public_key=row.public_key,
                actief=row.actief,
                aangemaakt_op=aangemaakt(row),
            )
            for row in rows
        ]
    )


@router.post(
    "/controleren",
    summary="Check a receipt: signed by this installation and unchanged? (stores nothing)",
)
def controleren(
    bewijs: Annotated[dict[str, Any], Body(description="The receipt JSON as downloaded")],
    session: SessionDep,
) -> ControleOut:
    return controle_out(check(session, bewijs))
