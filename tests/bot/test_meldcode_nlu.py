"""A meldcode typed as words gets nlu_fallback, like one in characters (bot/meldcode_nlu.py)."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.meldcode_nlu import MeldcodeWoordenClassifier, is_meldcode_in_words
from envelope.meldcode import new_meldcode
from envelope.meldcode_woorden import format_words, meldcode_to_words


def test_a_code_in_words_with_up_to_three_typos_is_recognised() -> None:
    for _ in range(50):
        code = new_meldcode()
        words = meldcode_to_words(code)
        assert is_meldcode_in_words(format_words(code))
        assert is_meldcode_in_words(", ".join(words).upper())
        assert is_meldcode_in_words(" ".join(["qqqqq", *words[1:4], "xxxxx", *words[5:9], "zz"]))
        assert is_meldcode_in_words(" ".join(words[:9]))  # one forgotten


def test_sentences_and_buttons_are_not_a_code() -> None:
    for text in (
        "ben jij een bot of een echt mens",
        "ik wil naar de vertrouwenspersoon van mijn eenheid",
        "de trein de bus de auto de fiets",
        "/heb_meldcode",
        "7KQ4-M2XD-9RTA-HB3C-W5NP",
    ):
        assert not is_meldcode_in_words(text), text


def test_the_intent_becomes_nlu_fallback() -> None:
    code_message = Message.build(text=format_words(new_meldcode()))
    code_message.set("intent", {"name": "bot_challenge", "confidence": 0.68})
    code_message.set("intent_ranking", [{"name": "bot_challenge", "confidence": 0.68}])
    sentence = Message.build(text="ben jij een bot")
    sentence.set("intent", {"name": "bot_challenge", "confidence": 0.9})
    component = MeldcodeWoordenClassifier()
    component.process([code_message, sentence])
    assert code_message.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in code_message.get("intent_ranking")] == [
        "nlu_fallback",
        "bot_challenge",
    ]
    assert sentence.get("intent")["name"] == "bot_challenge"
