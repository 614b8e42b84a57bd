"""Receipt codes (meldcodes) that let a melder follow up a melding anonymously.

A meldcode is 20 characters of Crockford base32, shown in five groups:
``7KQ4-M2XD-9RTA-HB3C-W5NP``. The first group is the *kenmerk* (20 bits, not
secret: the salt of the key derivation), the other four are the *geheim*
(80 bits, the secret). Only the melder's side (the action server in memory, the
browser) ever handles the code; the backend sees a public key derived from it
(``envelope/melder_key.py``, docs/encryption.md).

Older meldingen have a meldcode of 16 characters (80 bits, no kenmerk), which
the backend looked up itself; they are still accepted on that old path.
Crockford's alphabet has no I, L, O or U, and reading accepts the usual
confusions (o→0, i/l→1) in any case.

The same code can also be written as 10 Dutch words (``envelope/meldcode_woorden.py``);
reading accepts either form and always returns the characters.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
KENMERK_LENGTH = 4
LEGACY_LENGTH = 16
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class MeldcodeFormatError(ValueError):
    """The text is not a well-formed meldcode."""


def new_meldcode() -> str:
    """A fresh, formatted meldcode (current form, 20 characters)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_meldcode(raw)


def normalize_meldcode(text: str) -> str:
    """The canonical form (20, or 16 for an older code) of a typed meldcode, in
    characters or in words."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_.\t")
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) not in (LENGTH, LEGACY_LENGTH) or any(ch not in ALPHABET for ch in cleaned):
        # The word form (imported here: that module builds on this one).
        from envelope import meldcode_woorden

        if meldcode_woorden.looks_like_words(text):
            return meldcode_woorden.words_to_meldcode(text)
        raise MeldcodeFormatError("a meldcode has 20 letters and digits")
    return cleaned


def format_meldcode(text: str) -> str:
    code = normalize_meldcode(text)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def is_legacy(text: str) -> bool:
    """True for an older 16-character meldcode (looked up by the backend itself)."""
    return len(normalize_meldcode(text)) == LEGACY_LENGTH


def split_meldcode(text: str) -> tuple[str, str]:
    """(kenmerk, geheim) of a current meldcode; MeldcodeFormatError for an older one."""
    code = normalize_meldcode(text)
    if len(code) != LENGTH:
        raise MeldcodeFormatError("an older meldcode has no kenmerk")
    return code[:KENMERK_LENGTH], code[KENMERK_LENGTH:]
