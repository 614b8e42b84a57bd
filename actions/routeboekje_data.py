"""Read-only view of the routeboekje data file for dialogue texts.

The backend validates this file; the action server only reads labels and
names from it, so the bot and the routing always speak about the same lokets.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROUTEBOEKJE = Path(__file__).resolve().parent.parent / "backend" / "data" / "routeboekje.yaml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with ROUTEBOEKJE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def categorie_codes() -> list[str]:
    return list(_data()["categorieen"])


def categorie_label(code: str) -> str:
    entry = _data()["categorieen"].get(code)
    return str(entry["label"]) if entry else code


def categorie_kort(code: str) -> str:
    """The situation in a few words ("pesten"), for use inside a sentence."""
    entry = _data()["categorieen"].get(code) or {}
    return str(entry.get("kort") or categorie_label(code).split(",")[0])


def categorie_groep(code: str) -> str:
    entry = _data()["categorieen"].get(code) or {}
    return str(entry.get("groep") or "")


def eenheid_codes() -> list[str]:
    return list(_data()["eenheden"])


def eenheid_naam(code: str) -> str:
    entry = _data()["eenheden"].get(code)
    if isinstance(entry, dict):
        return str(entry.get("naam", code))
    return str(entry) if entry else code


def _lokets() -> dict[str, Any]:
    data = _data()
    lokets: dict[str, Any] = data.get("lokets") or data.get("loketten") or {}
    return lokets


def loket_field(code: str, field: str) -> str:
    entry = _lokets().get(code) or {}
    return str(entry.get(field, code if field == "naam" else ""))


def loket_naam(code: str) -> str:
    return loket_field(code, "naam")


def loket_lines(codes: tuple[str, ...]) -> str:
    """One line per loket: "• name: what it does"."""
    return "\n".join(f"• {loket_field(c, 'naam')}: {loket_field(c, 'wat_doet')}" for c in codes)


CONTACT_LABELS = {
    "telefoon": "Telefoon",
    "email": "E-mail",
    "intranet": "Intranet",
    "openingstijden": "Bereikbaar",
}


def loket_contact(code: str, eenheid: str | None) -> dict[str, str]:
    """Contact lines of a loket (example contacts), with the eenheid filled in."""
    contact = (_lokets().get(code) or {}).get("contact") or {}
    return {
        CONTACT_LABELS.get(key, key): str(value)
        .replace("{eenheid_naam}", eenheid_naam(eenheid) if eenheid else "")
        .replace("{eenheid}", eenheid or "")
        for key, value in contact.items()
        if value
    }
