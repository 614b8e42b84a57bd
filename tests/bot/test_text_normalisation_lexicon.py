"""Issue 17, point 4: chat shorthand, police abbreviations and the domain lexicon.

A melder who writes the short form or a variant word must reach the same features as
one who writes it out: the model then knows the word through what it learned.
"""

from __future__ import annotations

import pytest

from bot.text_normalisation import concepts, normalise


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("mn tl zegt gvd zsm terug", "mijn teamleider zegt godverdomme zo snel mogelijk terug"),
        ("de ovd en de hovj", "de officier van dienst en de hulpofficier van justitie"),
        ("ze stuurt dm's via insta", "ze stuurt dm's via instagram"),
        ("hij stuurde een dm", "hij stuurde een prive bericht"),
    ],
)
def test_shorthand_is_written_out(written: str, read_as: str) -> None:
    assert normalise(written).startswith(read_as)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("ze gebruiken expres mijn deadname", "geaardheid"),
        ("alle 60-plussers moeten naar binnen", "leeftijd"),
        ("weer een grap over blondjes", "vrouwen"),
        ("hij greep tussen mijn benen", "aanraken"),
        ("mijn oe snauwt en vloekt de hele dienst", "dreigen"),
        ("een collega is omgekomen bij die inzet", "incident"),
        ("sindsdien krijg ik haatberichten", "buiten"),
        ("ze misgenderen me elke dienst", "geaardheid"),
        ("hij gaf een geboeide verdachte nog een trap", "optreden"),
        ("ze roepen ching chong als ik binnenkom", "herkomst"),
    ],
)
def test_variant_words_point_to_their_concept(text: str, concept: str) -> None:
    assert concept in concepts(normalise(text).split(" lex")[0])
    assert f"lex{concept}" in normalise(text)


def test_ordinary_words_are_not_taken_for_shorthand() -> None:
    # Only whole tokens are replaced: "dmz" or "ovdracht" stay as they are.
    assert normalise("dmz ovdracht") == "dmz ovdracht"
