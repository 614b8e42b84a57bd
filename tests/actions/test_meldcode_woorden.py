"""The chat shows the meldcode in words too and reads it back (actions/submission.py,
actions/follow_up.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import melder_agent
from actions.follow_up import ValidateMeldcodeForm
from actions.texts import text
from envelope.meldcode import new_meldcode
from envelope.meldcode_woorden import format_words, meldcode_to_words


def _validate(value: str) -> tuple[dict[str, Any], list[str]]:
    tracker = Tracker("t", {}, {"text": value}, [], False, None, {"name": "meldcode_form"}, "")
    dispatcher = CollectingDispatcher()
    result = ValidateMeldcodeForm().validate_meldcode(value, dispatcher, tracker, {})
    return result, [str(m.get("text")) for m in dispatcher.messages]


def test_the_shown_meldcode_has_both_forms_and_says_both_work() -> None:
    code = new_meldcode()
    shown = text("je_meldcode", meldcode=code, woorden=format_words(code))
    assert f"Dit is je meldcode: {code}" in shown
    assert format_words(code) in shown
    assert "Allebei werken" in shown


def test_a_code_typed_in_words_opens_the_same_code() -> None:
    code = new_meldcode()
    for typed in (format_words(code), " ".join(meldcode_to_words(code)).upper()):
        result, said = _validate(typed)
        assert said == []
        assert melder_agent.open_from_slot(result["meldcode"]) == code


def test_an_unknown_word_is_named_by_its_place_not_repeated() -> None:
    words = meldcode_to_words(new_meldcode())
    words[2] = "qqqqq"
    result, said = _validate(" ".join(words))
    assert result == {"meldcode": None}
    assert said and "3e woord" in said[0]
    assert "qqqqq" not in said[0]


def test_a_missing_word_is_counted() -> None:
    words = meldcode_to_words(new_meldcode())
    result, said = _validate(" ".join(words[:9]))
    assert result == {"meldcode": None}
    assert said and "10 woorden" in said[0] and "typte er 9" in said[0]


def test_a_sentence_gets_the_usual_explanation() -> None:
    result, said = _validate("ik weet mijn code niet meer")
    assert result == {"meldcode": None}
    assert said and "20 letters en cijfers" in said[0] and "10 woorden" in said[0]
