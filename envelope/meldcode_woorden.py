"""The meldcode as Dutch words: the same secret, easier to keep.

A current meldcode is 20 Crockford-base32 characters (100 bits, ``envelope/meldcode.py``).
``envelope/woordenlijst.txt`` holds exactly 1024 Dutch words (10 bits each), so every pair
of characters is one word and the whole code is exactly 10 words: a bijection, the same
entropy, both forms interchangeable. Each group of four characters is two words::

    7KQ4-M2XD-9RTA-HB3C-W5NP  <->  tafel-regen · appel-fiets · kano-molen · zon-brug · vos-lamp

The first pair is the kenmerk (not secret), the other eight words are the geheim.
Reading is forgiving: any separators, any case, accents stripped, and every word is
recognised by its first four letters (no two words share them, and no word is the start
of another). A word that is not in the list raises :class:`UnknownMeldwoordError`,
which names its position, so the melder knows which word to check.
Older 16-character meldcodes have no word form.

The list must never change once meldcodes exist: ``tests/envelope/test_meldcode_woorden.py``
pins its SHA-256. ``web/src/meldcode_woorden.js`` reads the same file (bundled at build time).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

from envelope.meldcode import ALPHABET, LENGTH, MeldcodeFormatError, normalize_meldcode

LIST_FILE = "woordenlijst.txt"
LIST_SIZE = 1024
WORD_COUNT = LENGTH // 2  # 10: one word per two characters
PREFIX_LENGTH = 4
GROUP_SEPARATOR = " · "
PAIR_SEPARATOR = "-"

_LETTERS = re.compile(r"[^\W\d_]+")


class WordCountError(MeldcodeFormatError):
    """A meldcode in words with the wrong number of words."""

    def __init__(self, aantal: int) -> None:
        super().__init__(f"een meldcode in woorden heeft {WORD_COUNT} woorden, niet {aantal}")
        self.aantal = aantal


class UnknownMeldwoordError(MeldcodeFormatError):
    """A word of a meldcode in words that is not in the word list (position from 1)."""

    def __init__(self, positie: int, woord: str, suggestie: str | None) -> None:
        message = f"woord {positie} ('{woord}') staat niet in de woordenlijst"
        if suggestie:
            message += f"; bedoel je '{suggestie}'?"
        super().__init__(message)
        self.positie = positie
        self.woord = woord
        self.suggestie = suggestie


@cache
def woordenlijst() -> tuple[str, ...]:
    """The 1024 words, in list order (index = 10-bit value)."""
    text = resources.files("envelope").joinpath(LIST_FILE).read_text(encoding="ascii")
    words = tuple(text.split())
    if len(words) != LIST_SIZE:
        raise RuntimeError(f"{LIST_FILE} must hold {LIST_SIZE} words, not {len(words)}")
    return words


@cache
def _lookup() -> dict[str, int]:
    """Every word and every word's first four letters -> its index."""
    table: dict[str, int] = {}
    for index, word in enumerate(woordenlijst()):
        table[word] = index
        table[word[:PREFIX_LENGTH]] = index
    return table


def plain_word(token: str) -> str:
    """Lowercase ASCII letters of a typed word (accents stripped: 'tafél' -> 'tafel')."""
    decomposed = unicodedata.normalize("NFKD", token.lower())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def word_index(token: str) -> int | None:
    """The list index of a typed word: the word itself or its first four letters."""
    word = plain_word(token)
    table = _lookup()
    if word in table:
        return table[word]
    if len(word) > PREFIX_LENGTH:
        return table.get(word[:PREFIX_LENGTH])
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def suggestion(token: str) -> str | None:
    """The one list word a typo is one letter away from, if there is exactly one."""
    word = plain_word(token)
    close = [w for w in woordenlijst() if _one_edit_apart(word, w)]
    return close[0] if len(close) == 1 else None


def looks_like_words(text: str) -> bool:
    """True when a typed meldcode is meant as words, not as characters: no digits, and
    not at most five groups of at most four letters (a character code without digits)."""
    if any(ch.isdigit() for ch in text):
        return False
    tokens = _LETTERS.findall(text)
    return bool(tokens) and (len(tokens) > 5 or any(len(t) > 4 for t in tokens))


def words_to_meldcode(text: str) -> str:
    """The canonical meldcode (20 characters, no separators) of a meldcode in words."""
    tokens = _LETTERS.findall(text)
    indexes = [word_index(token) for token in tokens]
    if 2 * sum(index is not None for index in indexes) < len(tokens):
        # Mostly other words ("ik weet mijn code niet meer"): not a code at all.
        raise MeldcodeFormatError("a meldcode has 20 letters and digits, or 10 words")
    symbols = []
    for position, (token, index) in enumerate(zip(tokens, indexes, strict=True), start=1):
        if index is None:
            raise UnknownMeldwoordError(position, plain_word(token) or token, suggestion(token))
        symbols.append(ALPHABET[index // 32] + ALPHABET[index % 32])
    if len(tokens) != WORD_COUNT:
        raise WordCountError(len(tokens))
    return "".join(symbols)


def meldcode_to_words(code: str) -> list[str]:
    """The 10 words of a current meldcode (typed in either form)."""
    canonical = normalize_meldcode(code)
    if len(canonical) != LENGTH:
        raise MeldcodeFormatError("an older meldcode has no word form")
    words = woordenlijst()
    return [
        words[ALPHABET.index(canonical[i]) * 32 + ALPHABET.index(canonical[i + 1])]
        for i in range(0, LENGTH, 2)
    ]


def format_words(code: str) -> str:
    """The words as shown: pairs (one per group of four characters), e.g.
    'tafel-regen · appel-fiets · kano-molen · zon-brug · vos-lamp'."""
    words = meldcode_to_words(code)
    return GROUP_SEPARATOR.join(
        PAIR_SEPARATOR.join(words[i : i + 2]) for i in range(0, WORD_COUNT, 2)
    )


# --- finding a meldcode in words inside free text (tracker store masking) ------------

_MAX_GAP = 5  # separators between two words of one code: " · ", "-", ", ", a newline
_MIN_KNOWN = 6  # list words in a row (a single typo between them allowed)


def word_code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every part of ``text`` that looks like a meldcode in words:
    six or more list words in a row, with at most one unknown word between two known
    ones, plus one unknown word at either end (a typo in the first or last word) while
    the part has fewer than ten words."""
    tokens = list(_LETTERS.finditer(text))
    spans: list[tuple[int, int]] = []
    chain: list[re.Match[str]] = []

    def close_chain() -> None:
        spans.extend(_spans_in_chain(chain))
        chain.clear()

    for token in tokens:
        if chain:
            gap = text[chain[-1].end() : token.start()]
            if len(gap) > _MAX_GAP or any(ch.isalnum() for ch in gap):
                close_chain()
        chain.append(token)
    close_chain()
    return spans


def _spans_in_chain(chain: list[re.Match[str]]) -> list[tuple[int, int]]:
    known = [word_index(t.group()) is not None for t in chain]
    spans = []
    i = 0
    while i < len(chain):
        if not known[i]:
            i += 1
            continue
        j = i  # extend while the next is known, or an unknown followed by a known
        while j + 1 < len(chain) and (
            known[j + 1] or (j + 2 < len(chain) and known[j + 2] and known[j])
        ):
            j += 1
        if sum(known[i : j + 1]) >= _MIN_KNOWN:
            start, end = i, j
            if end - start + 1 < WORD_COUNT and start > 0:
                start -= 1
            if end - start + 1 < WORD_COUNT and end + 1 < len(chain):
                end += 1
            spans.append((chain[start].start(), chain[end].end()))
        i = j + 1
    return spans


def is_word_code_message(text: str, min_known: int = 4) -> bool:
    """True for a message that is nothing but a meldcode in words, typos and all:
    8 to 12 words, at least ``min_known`` of them from the list, no digits."""
    if any(ch.isdigit() for ch in text):
        return False
    tokens = _LETTERS.findall(text)
    if not 8 <= len(tokens) <= 12:
        return False
    rest = _LETTERS.sub("", text)
    if any(ch.isalnum() for ch in rest):
        return False
    return sum(word_index(t) is not None for t in tokens) >= min_known
