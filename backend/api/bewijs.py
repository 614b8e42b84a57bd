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

BEWIJS_EXAMPLES: dict[str, Any] = {
    "bewijs": {
        "summary": "A receipt as downloaded (this example's signature does not verify)",
        "value": {
            "formaat": "meldwijzer.ontvangstbewijs/1",
            "melding_id": "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90",
            "loket": "vertrouwenspersoon",
            "eenheid": "rotterdam",
            "ontvangen_op": "2026-12-02T10:15:00+00:00",
            "inhoud_sha256": "6fe50ea4342e568b1d5e947428e11ffb3ac33e2d8d89c7707f4bbe9908fa19fb",
            "identiteit_sha256": None,
            "audit": {
                "volgnummer": 2,
                "hash": "9bad503f61d8933f990de53b271d6ac851d4463aa1a5ac40ef7759a98decd3b5",
            },
            "sleutel_id": "a6d28d5287db6c40",
            "handtekening": "AAAA",
        },
    }
}


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
    bewijs: Annotated[
        dict[str, Any],
        Body(description="The receipt JSON as downloaded", openapi_examples=BEWIJS_EXAMPLES),
    ],
    session: SessionDep,
) -> ControleOut:
    return controle_out(check(session, bewijs))
