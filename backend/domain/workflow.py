"""The status workflow of a melding and the moments it records."""

from __future__ import annotations

from datetime import datetime

from backend.api.errors import ApiError
from backend.domain.termijnen import on_acknowledged
from backend.storage.models import Melding

# Status changes a loket user may make. `doorverwezen` is set only by forwarding,
# `ingetrokken` only by the melder; `afgerond` and `ingetrokken` are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "ontvangen": frozenset({"bevestigd"}),
    "bevestigd": frozenset({"in_behandeling", "afgerond"}),
    "in_behandeling": frozenset({"afgerond"}),
    "doorverwezen": frozenset({"bevestigd", "in_behandeling", "afgerond"}),
    "afgerond": frozenset(),
    "ingetrokken": frozenset(),
}
LOKET_STATUSSEN = ("bevestigd", "in_behandeling", "afgerond")


def change_status(melding: Melding, new: str, now: datetime) -> str:
    """Apply a loket's status change; return the old status. Raises ApiError 409."""
    old = melding.status
    if new not in TRANSITIONS.get(old, frozenset()):
        raise ApiError(
            409,
            "status_niet_toegestaan",
            f"Van status '{old}' kun je niet naar '{new}'.",
            f"A melding cannot go from status '{old}' to '{new}'.",
        )
    melding.status = new
    if new == "bevestigd" and melding.bevestigd_op is None:
        melding.bevestigd_op = now
        on_acknowledged(melding)
    if new == "afgerond":
        melding.afgerond_op = now
        if melding.teruggekoppeld_op is None:
            melding.teruggekoppeld_op = now
    return old
