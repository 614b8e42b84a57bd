"""The melder's identity: only when the melder chooses to be known, sealed apart.

A melder who does not stay anonymous gives a name and one way to be reached: a phone
number, an e-mail address, or (where the loket accepts anonymous meldingen) "only via
Meldwijzer with my meldcode". Those details never go into the structured melding: they
are sealed separately, to the loket's key only, with associated data = the envelope
header plus ``{"deel": "identiteit"}`` (docs/encryption.md, docs/melding-schema.md).
"""

from __future__ import annotations

import json
import re
from typing import Any

from envelope.sealing import Recipient, b64d, seal

SCHEMA = "meldwijzer.identiteit/1"
SLOTS = ("melder_naam", "melder_contact")
# The value of melder_contact when the loket reaches the melder only through Meldwijzer.
VIA_MELDCODE = "meldcode"
VIA_MELDCODE_TEKST = "alleen via Meldwijzer, met de meldcode"

MAX_NAAM = 80
MAX_NAAM_WOORDEN = 6
MAX_EMAIL = 120
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-]+$")
_MELDCODE_WORDS = re.compile(r"\b(meldcode|meldwijzer)\b")


def naam_probleem(value: Any) -> str | None:
    """Why ``value`` is not a name the loket can use (a text key), or None when it is fine.

    Gentle on purpose: any name of letters, spaces, hyphens and apostrophes is taken as
    typed; a phone number, an e-mail address or a whole story is not."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or text.startswith("/"):
        return "naam_onduidelijk"
    if "@" in text or any(ch.isdigit() for ch in text):
        return "naam_geen_contact"
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2 or len(text) > MAX_NAAM or len(text.split()) > MAX_NAAM_WOORDEN:
        return "naam_onduidelijk"
    return None


def clean_naam(value: str) -> str:
    return " ".join(value.split())


def contact_soort(value: str | None) -> str | None:
    """``telefoon``, ``email`` or ``meldcode`` for a stored melder_contact, else None."""
    if not value:
        return None
    if value == VIA_MELDCODE:
        return "meldcode"
    if _EMAIL.match(value):
        return "email"
    if _PHONE_CHARS.match(value):
        return "telefoon"
    return None


def read_contact(value: Any) -> str | None:
    """A typed or clicked way to be reached, normalised; None when it is neither a phone
    number nor an e-mail address nor the meldcode option."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or text.startswith("/"):
        return None
    if text == VIA_MELDCODE or _MELDCODE_WORDS.search(text.lower()):
        return VIA_MELDCODE
    email = text.strip(".,;").lower()
    if len(email) <= MAX_EMAIL and _EMAIL.match(email):
        return email
    if _PHONE_CHARS.match(text):
        digits = re.sub(r"\D", "", text)
        if 10 <= len(digits) <= 15:
            return " ".join(text.split())
    return None


def identiteit(slots: dict[str, Any]) -> dict[str, str] | None:
    """What the loket gets to know about the melder, or None for an anonymous melding."""
    naam = slots.get("melder_naam")
    if slots.get("anoniem") != "nee" or not naam or naam_probleem(naam):
        return None
    result = {"schema": SCHEMA, "naam": clean_naam(naam)}
    contact = slots.get("melder_contact")
    soort = contact_soort(contact)
    if soort == "meldcode":
        result["bereikbaar"] = VIA_MELDCODE_TEKST
    elif soort is not None and contact is not None:
        result[soort] = contact
    return result


def contact_label(contact: str | None) -> str:
    """How the summary shows the way to be reached."""
    if contact_soort(contact) == "meldcode":
        return "Alleen via Meldwijzer, met je meldcode"
    return contact or ""


def seal_identiteit(
    details: dict[str, str], header: dict[str, str], key: dict[str, Any]
) -> dict[str, Any]:
    """The identity sealed to the loket key only (not to the melder's key)."""
    plaintext = json.dumps(details, ensure_ascii=False, sort_keys=True).encode("utf-8")
    loket = Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))
    return seal(plaintext, {**header, "deel": "identiteit"}, [loket])


def anoniem_mogelijk(advies: list[dict[str, Any]] | None, loket: str | None) -> bool:
    """Whether the chosen loket accepts an anonymous melding (routeboekje
    ``anoniem_mogelijk``, as the advice gave it); unknown lokets: yes."""
    for option in advies or []:
        if option.get("loket") == loket:
            return bool(option.get("anoniem_mogelijk", True))
    return True


def niet_meer_passend(slots: dict[str, Any], anoniem_ok: bool) -> dict[str, Any]:
    """Answers that no longer fit after the melder chose a loket that needs a name:
    "stay anonymous" and "only via the meldcode" are asked again."""
    if anoniem_ok:
        return {}
    forget: dict[str, Any] = {}
    if slots.get("anoniem") == "ja":
        forget["anoniem"] = None
    if slots.get("melder_contact") == VIA_MELDCODE:
        forget["melder_contact"] = None
    return forget
