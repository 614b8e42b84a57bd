"""The meldcode as Dutch words (envelope/meldcode_woorden.py, envelope/woordenlijst.txt)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from envelope.meldcode import (
    MeldcodeFormatError,
    format_meldcode,
    is_legacy,
    new_meldcode,
    normalize_meldcode,
    split_meldcode,
)
from envelope.meldcode_woorden import (
    UnknownMeldwoordError,
    WordCountError,
    format_words,
    is_word_code_message,
    meldcode_to_words,
    woordenlijst,
    word_code_spans,
    word_index,
    words_to_meldcode,
)
from envelope.melder_key import melder_keys

LIST = Path(__file__).resolve().parents[2] / "envelope" / "woordenlijst.txt"

# The list must NEVER change once meldcodes exist: a melder who kept the words of a code
# made with another list would get a different code back, and could not open the melding.
# Changing this pin means every meldcode ever shown in words becomes unreadable.
WOORDENLIJST_SHA256 = "eaf0cc2072a0318490c2c8b3641d8bf54e98591c8ae6f3caec022af915b4e05b"

# Words that may never be in the list (sensitive, police-loaded, body, religion, ...):
# a sample the list was checked against when it was written.
NOOIT = {
    "dader", "slachtoffer", "klacht", "melding", "politie", "agent", "wapen", "mes",
    "bloed", "dood", "kogel", "cel", "boete", "dief", "boef", "kerk", "moskee", "kruis",
    "god", "hemel", "duivel", "aap", "varken", "zwart", "bruin", "geel", "wit", "ras",
    "seks", "kus", "kussen", "borst", "bil", "kont", "poes", "pik", "worst", "banaan",
    "pinda", "stop", "pauze", "hulp", "klaar", "ja", "nee", "noord", "zuid", "oost", "west",
    "alarm", "radar", "kanon", "zwaard", "granaat", "dolk", "douche", "sauna", "vinger",
    "zeekoe", "gans", "knuffel", "lolly", "gang",
}  # fmt: skip

# Everyday words that must not count as a word of a code (not in the list, and not the
# first four letters of one), so a sentence is not mistaken for a code.
GEWOON = [
    "de", "het", "een", "en", "van", "ik", "je", "jij", "te", "dat", "die", "in", "is",
    "niet", "op", "wat", "zijn", "met", "er", "maar", "voor", "ze", "hij", "zij", "we",
    "wij", "om", "als", "mijn", "ook", "aan", "dan", "nog", "bij", "uit", "of", "heb",
    "ben", "was", "al", "moet", "kan", "naar", "door", "zo", "hoe", "wie", "waar", "want",
    "omdat", "toen", "over", "heel", "alle", "meer", "geen", "echt", "veel", "wel", "hem",
    "haar", "ons", "hun", "mij", "me", "jou", "deze", "dit", "tot", "nu", "even", "goed",
    "gaat", "gaan", "komt", "doen", "zegt", "elke", "iemand", "niets", "iets", "collega",
    "team", "chef", "baas", "werk", "dienst", "steeds", "vaak", "soms", "altijd", "nooit",
    "weer", "keer", "week", "dag", "jaar", "tijd", "hier", "daar", "weet", "denk", "vind",
    "wil", "zal", "zou", "code", "meldcode", "graag", "help", "hulp", "stop",
]  # fmt: skip


def edit_distance_at_most_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


# --- the list ---------------------------------------------------------------------------


def test_the_word_list_is_pinned() -> None:
    assert hashlib.sha256(LIST.read_bytes()).hexdigest() == WOORDENLIJST_SHA256, (
        "envelope/woordenlijst.txt changed: every meldcode shown in words would no longer "
        "open its melding. The list must never change once codes exist."
    )


def test_the_list_has_1024_plain_dutch_words() -> None:
    lines = LIST.read_text(encoding="ascii").splitlines()
    assert lines == list(woordenlijst())
    assert len(lines) == 1024 == len(set(lines))
    for word in lines:
        assert re.fullmatch(r"[a-z]{3,8}", word), word
    assert not NOOIT & set(lines)
    assert [w for w in GEWOON if word_index(w) is not None] == []


def test_four_letters_are_enough_and_no_word_starts_another() -> None:
    words = woordenlijst()
    prefixes = [w[:4] for w in words]
    assert len(set(prefixes)) == len(words)
    for word in words:
        assert not any(other != word and other.startswith(word) for other in words), word


def test_no_two_words_are_one_typo_apart() -> None:
    words = sorted(woordenlijst(), key=len)
    by_length: dict[int, list[str]] = {}
    for word in words:
        by_length.setdefault(len(word), []).append(word)
    close = [
        (a, b)
        for a in words
        for length in (len(a), len(a) + 1)
        for b in by_length.get(length, [])
        if a < b or length > len(a)
        if a != b and edit_distance_at_most_one(a, b)
    ]
    assert close == []


# --- conversion -------------------------------------------------------------------------


@pytest.mark.parametrize("_", range(200))
def test_random_codes_round_trip_in_both_directions(_: int) -> None:
    code = new_meldcode()
    words = meldcode_to_words(code)
    assert len(words) == 10
    assert format_meldcode(words_to_meldcode(" ".join(words))) == code
    assert normalize_meldcode(format_words(code)) == normalize_meldcode(code)
    assert meldcode_to_words(" ".join(words)) == words


def test_every_word_and_every_character_pair_map_one_to_one() -> None:
    seen = set()
    for index, word in enumerate(woordenlijst()):
        code = words_to_meldcode(" ".join([word] * 10))
        assert code[:2] * 10 == code
        seen.add(code[:2])
        assert meldcode_to_words(code)[0] == word, index
    assert len(seen) == 1024


def test_known_vectors() -> None:
    # Index 0 is the first word, index 1023 the last (pairs "00" and "ZZ").
    assert meldcode_to_words("0000-0000-0000-0000-0000") == ["aambeeld"] * 10
    assert meldcode_to_words("ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ") == ["zwembad"] * 10
    assert format_words("0123-4567-89AB-CDEF-GHJK") == (
        "aanrecht-bakfiets · brief-damast · erwt-gilet · ibis-klaver · leesbril-molen"
    )


def test_the_example_in_the_docs_is_right() -> None:
    example = "duffel-reisgids · omslag-voetbal · garnaal-strik · lunch-blokhut · uitkijk-pistache"
    assert format_words("7KQ4-M2XD-9RTA-HB3C-W5NP") == example
    root = LIST.parents[1]
    for doc in ("docs/encryption.md", "docs/melder/meldcode.md"):
        assert example in (root / doc).read_text(encoding="utf-8"), doc


def test_each_group_of_four_characters_is_a_pair_of_words() -> None:
    code = new_meldcode()
    groups = code.split("-")
    pairs = format_words(code).split(" · ")
    assert len(pairs) == 5
    for group, pair in zip(groups, pairs, strict=True):
        assert meldcode_to_words(group * 5)[:2] == pair.split("-")


def test_the_word_form_gives_the_same_keys() -> None:
    code = new_meldcode()
    assert split_meldcode(format_words(code)) == split_meldcode(code)
    assert melder_keys(format_words(code)).public_key == melder_keys(code).public_key


# --- reading what a melder types --------------------------------------------------------


def test_any_separator_case_and_accents() -> None:
    code = new_meldcode()
    words = meldcode_to_words(code)
    typed = [
        " ".join(words).upper(),
        "-".join(words),
        "\n".join(words),
        ", ".join(words) + ".",
        "  " + " · ".join(w.capitalize() for w in words) + "  ",
        " ".join(w[0] + w[1:].replace("e", "é", 1) for w in words),
    ]
    for text in typed:
        assert normalize_meldcode(text) == normalize_meldcode(code), text


def test_the_first_four_letters_are_enough() -> None:
    code = new_meldcode()
    words = meldcode_to_words(code)
    short = [w if len(w) <= 4 else w[:4] for w in words]
    assert normalize_meldcode(" ".join(short)) == normalize_meldcode(code)
    # A typo after the fourth letter does not matter.
    long_words = [w + "x" if len(w) > 3 else w for w in words]
    assert normalize_meldcode(" ".join(long_words)) == normalize_meldcode(code)


def test_an_unknown_word_is_named_by_its_position() -> None:
    words = meldcode_to_words(new_meldcode())
    words[3] = "qqqqq"
    with pytest.raises(UnknownMeldwoordError) as error:
        normalize_meldcode(" ".join(words))
    assert error.value.positie == 4
    assert error.value.woord == "qqqqq"
    assert "woord 4" in str(error.value)


def test_a_typo_in_the_first_letters_gets_a_suggestion() -> None:
    words = ["zwembad"] * 10
    words[6] = "zwenbad"
    with pytest.raises(UnknownMeldwoordError) as error:
        normalize_meldcode(" ".join(words))
    assert error.value.positie == 7
    assert error.value.suggestie == "zwembad"
    assert "bedoel je 'zwembad'" in str(error.value)


def test_too_few_or_too_many_words() -> None:
    words = meldcode_to_words(new_meldcode())
    for wrong in (words[:9], [*words, words[0]]):
        with pytest.raises(WordCountError) as error:
            normalize_meldcode(" ".join(wrong))
        assert error.value.aantal == len(wrong)


def test_character_codes_stay_character_codes() -> None:
    code = new_meldcode()
    assert normalize_meldcode(code.lower()) == code.replace("-", "")
    # A character code without digits and a letter missing is a character error.
    for typo in ("ABCD-EFGH-JKMN-PQRS-TVW", "ABCD EFGH JKMN PQR"):
        with pytest.raises(MeldcodeFormatError) as error:
            normalize_meldcode(typo)
        assert not isinstance(error.value, (UnknownMeldwoordError, WordCountError))
    # With a digit it is never read as words.
    with pytest.raises(MeldcodeFormatError) as error:
        normalize_meldcode("7KQ4 zwembad")
    assert not isinstance(error.value, UnknownMeldwoordError)


def test_a_sentence_is_not_a_code_in_words() -> None:
    with pytest.raises(MeldcodeFormatError) as error:
        normalize_meldcode("ik weet mijn code niet meer")
    assert not isinstance(error.value, (UnknownMeldwoordError, WordCountError))


def test_older_codes_have_no_word_form() -> None:
    legacy = "7KQ4M2XD9RTAHB3C"
    assert is_legacy(legacy)
    with pytest.raises(MeldcodeFormatError):
        meldcode_to_words(legacy)


# --- finding a code in words in free text (tracker store masking) -----------------------


def test_a_code_in_words_is_found_in_a_sentence() -> None:
    shown = format_words(new_meldcode())
    text = f"Dit is mijn code: {shown}. Kun je kijken?"
    spans = word_code_spans(text)
    assert len(spans) == 1
    start, end = spans[0]
    assert shown in text[start:end]
    assert "Kun" not in text[start:end]


def test_a_code_with_a_typo_is_still_found() -> None:
    words = meldcode_to_words(new_meldcode())
    words[0] = "xxxxx"
    words[5] = "yyyyy"
    text = "mijn code " + " ".join(words)
    (start, end), *_ = word_code_spans(text)
    assert text[start:end].endswith(words[-1])
    assert "xxxxx" in text[start:end] and "yyyyy" in text[start:end]
    assert is_word_code_message(" ".join(words))


def test_ordinary_sentences_are_not_a_code() -> None:
    for text in (
        "Na de briefing gaat de hele ploeg samen lunchen en ik word nooit gevraagd.",
        "Ik fiets elke ochtend met de trein en de bus naar de kantine op het station.",
        "Mijn collega zegt dat ik met de auto moet komen, in de winter en de zomer.",
    ):
        assert word_code_spans(text) == [], text
        assert not is_word_code_message(text), text
