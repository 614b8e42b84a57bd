"""What the bot says about the clock of a melding: the truth for its route.

The backend decides the kind when the melding arrives (``termijn_soort``: ``wet`` for
the Landelijk Meldpunt Misstanden, ``afspraak`` where the organisation set one,
``geen`` elsewhere) and returns only the deadlines that exist. These functions turn
that into the sentences of bot/texts.yml (sources in bot/bronnen/texts.yml).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from actions.texts import text

MAANDEN = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


# kind -> the sentence that says which kind of term the dates are (bot/texts.yml)
STATUS_TERMIJN = {
    "wet": "status_termijn_wet",
    "afspraak": "status_termijn_afspraak",
    "geen": "status_termijn_geen",
}


def datum(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f"{moment.day} {MAANDEN[moment.month - 1]} {moment.year}"


def _soort(stored: Mapping[str, Any]) -> str:
    soort = stored.get("termijn_soort")
    return soort if soort in ("wet", "afspraak", "geen") else "geen"


def wat_nu(naam: str, stored: Mapping[str, Any]) -> str:
    """After sending: what happens now, with dates only where the route promises them."""
    soort = _soort(stored)
    bevestigen, terugkoppelen = stored.get("bevestigen_voor"), stored.get("terugkoppeling_voor")
    if soort == "wet" and bevestigen and terugkoppelen:
        lines = [
            text(
                "wat_nu_wet",
                naam=naam,
                bevestigen_voor=datum(bevestigen),
                terugkoppeling_voor=datum(terugkoppelen),
            )
        ]
    elif soort == "afspraak" and (bevestigen or terugkoppelen):
        lines = [text("wat_nu_afspraak", naam=naam)]
        if bevestigen:
            lines.append(text("afspraak_bevestigen", datum=datum(bevestigen)))
        if terugkoppelen:
            lines.append(text("afspraak_terugkoppeling", datum=datum(terugkoppelen)))
    else:
        lines = [text("wat_nu_geen", naam=naam)]
    lines.append(text("wat_nu_steun"))
    return "\n".join(lines)


def status_termijn(status: Mapping[str, Any]) -> list[str]:
    """Following up: the dates that exist, and which kind of term they are."""
    soort = _soort(status)
    lines: list[str] = []
    if status.get("bevestigd_op"):
        lines.append(text("bevestigd_op", datum=datum(status["bevestigd_op"])))
    elif status.get("bevestigen_voor"):
        lines.append(text("bevestigt_uiterlijk", datum=datum(status["bevestigen_voor"])))
    if status.get("terugkoppeling_voor"):
        lines.append(text("terugkoppeling_uiterlijk", datum=datum(status["terugkoppeling_voor"])))
    lines.append(text(STATUS_TERMIJN[soort]))
    return lines
