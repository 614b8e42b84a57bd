"""The melder's answer to a check-in after the melding (docs/checkin.md).

``POST /api/v1/melder/checkin``: signed like every melder request (``bewijs``, action
``checkin``), the answer sealed on the melder's side. The backend checks that the
moment is open now and not yet answered, and that the answer is wrapped for the
handling loket and the melder; it stores the ciphertext and the one clear signal.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from backend.api.deps import RouteboekjeDep
from backend.api.melder import WITHDRAWN, with_melding
from backend.api.schemas.checkin import CheckinIn, CheckinOut
from backend.domain.audit import record
from backend.domain.checkins import add_checkin, volgend_moment
from backend.storage.clock import utcnow
from backend.storage.models import Melding

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No melding for this proof"},
    409: {"description": "Not open now, already answered, or the melding was withdrawn"},
    422: {"description": "Malformed, or not sealed to the loket and the melder"},
    429: {"description": "Too many failing attempts; see Retry-After"},
}

router = APIRouter(prefix="/api/v1/melder", tags=["melder"])


@router.post(
    "/checkin",
    status_code=201,
    summary="Answer the open check-in (1, 3 or 6 months after the melding), sealed",
    responses=_ERRORS,
)
async def checkin(request: Request, body: CheckinIn, boek: RouteboekjeDep) -> CheckinOut:
    def work(session: Session, m: Melding) -> CheckinOut:
        if m.status == "ingetrokken":
            raise WITHDRAWN
        now = utcnow()
        row = add_checkin(
            session, boek, m, body.moment, body.nadelige_gevolgen, body.sealed.stored(), now
        )
        # The audit log never holds the answer, only that one was given.
        record(session, "melder", "melder_checkin", m.id, moment=body.moment)
        volgend = volgend_moment(m.ontvangen_op, now)
        return CheckinOut(
            melding_id=m.id,
            moment=body.moment,
            beantwoord_op=row.beantwoord_op,
            volgende=volgend.vanaf if volgend else None,
        )

    return await with_melding(request, "checkin", body, work)
