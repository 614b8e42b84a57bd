"""Dutch labels and date formatting for the pages (B1 level)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.domain.termijnen import TERMIJN_LABEL
from backend.pages.teksten import platte_tekst

try:
    TZ: Any = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # pragma: no cover - minimal containers without tzdata
    TZ = timezone.utc

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

STATUS_NL = {
    "ontvangen": "Ontvangen",
    "bevestigd": "Bevestigd",
    "in_behandeling": "In behandeling",
    "doorverwezen": "Doorverwezen",
    "afgerond": "Afgerond",
    "ingetrokken": "Ingetrokken",
}
# What each status means for the melder: sentences with sources in teksten.yml.
STATUS_UITLEG = {status: platte_tekst(f"status.{status}") for status in STATUS_NL}
VELD_NL = {
    "categorie": "Situatie",
    "beschrijving": "Wat er gebeurde (woorden van de melder)",
    "eenheid": "Eenheid",
    "rol_melder": "Rol van de melder",
    "aspirant": "Aspirant of student",
    "sinds_wanneer": "Sinds wanneer",
    "rol_ander": "Wie de ander is (rol)",
    "eigen_leidinggevende_betrokken": "Eigen leidinggevende betrokken",
    "eerder_gemeld": "Eerder gemeld",
    "wens": "Wat de melder wil",
    "anoniem": "Anoniem",
    "loket": "Loket",
    "aangemaakt_op": "Verstuurd op",
    "kanaal": "Kanaal",
}
# The melder's identity (sealed apart; only when the melder gave it): field labels.
IDENTITEIT_NL = {
    "naam": "Naam",
    "telefoon": "Telefoon",
    "email": "E-mail",
    "bereikbaar": "Bereikbaar",
}
WAARDE_NL = {
    "betrokkene": "het overkwam de melder zelf",
    "omstander": "de melder zag het gebeuren",
    "leidinggevende": "de melder is leidinggevende",
    "eenmalig": "één keer",
    "weken": "een paar weken",
    "maanden": "een paar maanden",
    "jaar_of_langer": "een jaar of langer",
    "weet_niet": "weet ik niet",
    "collega": "een collega",
    "eigen_leidinggevende": "de eigen leidinggevende",
    "andere_leidinggevende": "een andere leidinggevende",
    "begeleider": "een begeleider",
    "groep": "een groep",
    "iemand_anders": "iemand anders",
    "nee": "nee",
    "ja_geen_reactie": "ja, maar geen reactie",
    "ja_onvoldoende": "ja, maar te weinig gedaan",
    "ja_lopend": "ja, het loopt nog",
    "steun": "steun",
    "advies": "advies",
    "melden": "een melding doen",
    "klacht": "een klacht indienen",
    "onderzoek": "een onderzoek",
    "chat": "chat",
}


def as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def datum(value: Any, met_tijd: bool = False) -> str:
    """'3 december 2026' (or with ', 14.05 uur') in Dutch time."""
    moment = as_datetime(value)
    if moment is None:
        return "—"
    local = moment.astimezone(TZ)
    text = f"{local.day} {MAANDEN[local.month - 1]} {local.year}"
    if met_tijd:
        text += f", {local.hour}.{local.minute:02d} uur"
    return text


def waarde(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None:
        return "—"
    return WAARDE_NL.get(str(value), str(value))


# The clock kinds as loket users read them (portal, statistics).
TERMIJN_NL = {"wet": "Wettelijke termijn", "afspraak": "Afspraak", "geen": "Geen termijn"}
# The label after a deadline date: which kind of term it is (a route without a term
# has no dates).
DATUM_SOORT = {k: v for k, v in TERMIJN_LABEL.items() if k != "geen"}
DEADLINE_NL = {"bevestiging": "bevestigen", "terugkoppeling": "terugkoppelen"}
UITKOMST_NL = {"op_tijd": "op tijd", "te_laat": "te laat", "loopt": "loopt nog"}


def nakoming_label(waarde: str) -> str:
    """'wet bevestiging op_tijd' → 'Wettelijke termijn – bevestigen: op tijd'."""
    parts = waarde.split()
    if len(parts) != 3:
        return waarde
    soort, deadline, uitkomst = parts
    return (
        f"{TERMIJN_NL.get(soort, soort)} – {DEADLINE_NL.get(deadline, deadline)}: "
        f"{UITKOMST_NL.get(uitkomst, uitkomst)}"
    )


@dataclass(frozen=True)
class Klok:
    """The clock of one melding: its kind, which deadline, its state, and a sentence."""

    soort: str  # bevestiging | terugkoppeling | klaar | geen
    staat: str  # te_laat | binnenkort | op_tijd | klaar | geen
    uiterlijk: datetime | None
    tekst: str
    label: str
    termijn: str = "Wettelijke termijn"  # TERMIJN_NL of the melding's kind


def termijn_klok(m: dict[str, Any], now: datetime, binnen: timedelta) -> Klok:
    """The next open deadline the route has (legal or afspraak), or why there is none."""
    kind = str(m.get("termijn_soort") or "wet")
    termijn = TERMIJN_NL.get(kind, kind)
    if kind == "geen":
        return Klok("geen", "geen", None, "Voor dit loket geldt geen termijn.", "Geen", termijn)
    if m.get("status") in ("afgerond", "ingetrokken"):
        return Klok("klaar", "klaar", None, "Geen open termijn.", "Klaar", termijn)
    bevestigen = as_datetime(m.get("bevestigen_voor"))
    terugkoppelen = as_datetime(m.get("terugkoppeling_voor"))
    if m.get("bevestigd_op") is None and bevestigen is not None:
        soort, uiterlijk, wat = "bevestiging", bevestigen, "Bevestigen"
    elif m.get("teruggekoppeld_op") is None and terugkoppelen is not None:
        soort, uiterlijk, wat = "terugkoppeling", terugkoppelen, "Terugkoppelen"
    else:
        return Klok("klaar", "klaar", None, "Geen open termijn.", "Op orde", termijn)
    if uiterlijk < now:
        return Klok(
            soort,
            "te_laat",
            uiterlijk,
            f"{wat} had uiterlijk {datum(uiterlijk)} gemoeten.",
            "Te laat",
            termijn,
        )
    if uiterlijk - now <= binnen:
        dagen = max(0, (uiterlijk - now).days)
        rest = (
            "vandaag" if dagen == 0 else ("binnen 1 dag" if dagen == 1 else f"binnen {dagen} dagen")
        )
        return Klok(
            soort,
            "binnenkort",
            uiterlijk,
            f"{wat} {rest}: uiterlijk {datum(uiterlijk)}.",
            "Bijna",
            termijn,
        )
    return Klok(
        soort, "op_tijd", uiterlijk, f"{wat} uiterlijk {datum(uiterlijk)}.", "Op tijd", termijn
    )
