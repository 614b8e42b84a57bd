"""Receipt codes (meldcodes) that let a melder follow up a melding anonymously.

A code is 16 characters of Crockford base32 (80 bits of entropy), shown in
four groups: ``7KQ4-M2XD-9RTA-HB3C``. Crockford's alphabet has no I, L, O or
U, and reading accepts the usual confusions (o→0, i/l→1) in any case.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class MeldcodeFormatError(ValueError):
    """The text is not a well-formed meldcode."""


def new_meldcode() -> str:
    """A fresh, formatted meldcode."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_meldcode(raw)


def normalize_meldcode(text: str) -> str:
    """The canonical 16-character form of a typed meldcode."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_.\t")
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        raise MeldcodeFormatError("a meldcode has 16 letters and digits")
    return cleaned


def format_meldcode(text: str) -> str:
    code = normalize_meldcode(text)
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))
