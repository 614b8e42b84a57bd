"""The melder's side of a check-in: seal the answer to the loket and the melder.

Used by the action server (actions/checkin.py); the follow-up page does the same in
``web/src/volgen_checkin.js``. Header and content as in docs/checkin.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from envelope.melder_key import MelderKeys
from envelope.sealing import Recipient, b64d, key_id, seal

ANTWOORDEN = ("nee", "ja", "weet_niet")


def checkin_header(kop: Mapping[str, Any], moment: int) -> dict[str, Any]:
    """Associated data of a check-in answer (same as backend checkins.checkin_header)."""
    return {**kop, "deel": "checkin", "moment": str(moment)}


def seal_checkin(
    status: Mapping[str, Any], keys: MelderKeys, antwoord: str, tekst: str | None = None
) -> dict[str, Any]:
    """The request body (without proof) answering the open check-in of ``status``."""
    if antwoord not in ANTWOORDEN:
        raise ValueError(f"unknown check-in answer {antwoord!r}")
    checkin = status.get("checkin")
    if not checkin:
        raise ValueError("no check-in is open")
    loket = status["loket_sleutel"]
    public = b64d(loket["public_key"])
    if key_id(public) != loket["kid"]:
        raise ValueError("loket key id does not fit its key")
    moment = int(checkin["moment"])
    content: dict[str, Any] = {"antwoord": antwoord}
    if tekst:
        content["tekst"] = tekst
    sealed = seal(
        json.dumps(content, ensure_ascii=False).encode("utf-8"),
        checkin_header(status["kop"], moment),
        [Recipient(kid=loket["kid"], public_key=public), keys.recipient],
    )
    return {"moment": moment, "nadelige_gevolgen": antwoord == "ja", "sealed": sealed}
