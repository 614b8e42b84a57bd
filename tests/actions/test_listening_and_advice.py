"""Listening (one line of understanding), persona guidance and the short advice turn."""

from __future__ import annotations

import re
from typing import Any

from actions.advice import MAX_OPTIONS, Sentences, sentences, short_text, shown_options
from actions.listening import join_dutch, situation_ranking, understanding
from actions.personas import STAP_UDR, STAP_VIK, WENS_OPTIONS, leader_steps
from actions.questions import answer_buttons


def test_understanding_confirms_situation_and_facts_in_one_sentence() -> None:
    line = understanding("pesten", {"eenheid": "rotterdam", "rol_ander": "eigen_leidinggevende"})
    assert line == (
        "Ik begrijp dat het gaat over pesten, dat je bij eenheid Rotterdam werkt en dat het om je "
        "eigen leidinggevende gaat."
    )
    assert understanding(None, {"rol_melder": "aspirant"}) == (
        "Ik begrijp dat je aspirant of student bent."
    )
    assert understanding(None, {}) == ""
    assert "bij de Politieacademie werkt" in understanding(None, {"eenheid": "politieacademie"})


def test_join_dutch() -> None:
    assert join_dutch(["a"]) == "a"
    assert join_dutch(["a", "b"]) == "a en b"
    assert join_dutch(["a", "b", "c"]) == "a, b en c"


def test_situation_ranking_keeps_only_known_situations() -> None:
    message = {
        "intent_ranking": [
            {"name": "inform", "confidence": 0.5},
            {"name": "situatie_pesten", "confidence": 0.3},
            {"name": "situatie_onbekend", "confidence": 0.1},
            {"name": "situatie_racisme", "confidence": 0.05},
        ]
    }
    assert situation_ranking(message) == [("pesten", 0.3), ("racisme", 0.05)]


def test_leader_steps_fit_the_situation() -> None:
    udr = leader_steps("racisme")
    assert STAP_UDR in udr and udr.startswith("1. ")
    assert STAP_UDR not in leader_steps("integriteit")
    assert STAP_VIK in leader_steps("integriteit")
    assert len(leader_steps("pesten").splitlines()) <= 4


def test_wens_buttons_speak_the_melders_language_with_the_same_codes() -> None:
    omstander = answer_buttons("wens", "omstander")
    assert "Melden wat ik zag" in [b["title"] for b in omstander]
    codes = {b["payload"] for b in omstander}
    assert all(p.startswith('/inform{"wens": ') for p in codes)
    assert {v for v, _ in WENS_OPTIONS["omstander"]} <= {"advies", "melden", "steun", "weet_niet"}
    assert answer_buttons("wens", None) == answer_buttons("wens", "betrokkene")


def _advies(code: str, digital: bool, waarom: str) -> dict[str, Any]:
    return {"loket": code, "naam": code.title(), "ontvangt_digitaal": digital, "waarom": waarom}


def test_at_most_three_options_and_one_that_can_receive() -> None:
    advies = [
        _advies("leidinggevende", False, "a."),
        _advies("hr_adviseur", False, "b."),
        _advies("team_vgw", False, "c."),
        _advies("vertrouwenspersoon", True, "d."),
        _advies("vik", True, "e."),
    ]
    shown = shown_options(advies)
    assert len(shown) == MAX_OPTIONS
    assert [a["loket"] for a in shown] == ["leidinggevende", "hr_adviseur", "vertrouwenspersoon"]


def test_no_sentence_twice_in_one_turn() -> None:
    herhaald = "Je hebt het al eerder gemeld, maar kreeg geen reactie."
    said = Sentences()
    first = short_text(_advies("vik", True, f"{herhaald} VIK start triage."), said)
    second = short_text(_advies("ombudsfunctionaris", True, f"{herhaald} Ook hier."), said)
    assert first == herhaald
    assert herhaald not in second
    assert sentences("Een. Twee? Drie!") == ["Een.", "Twee?", "Drie!"]


def test_short_text_is_at_most_two_short_sentences() -> None:
    item = _advies("leidinggevende", False, "Zin een met uitleg. Zin twee. Zin drie.")
    text = short_text(item, Sentences())
    assert len(re.findall(r"[.!?](\s|$)", text)) <= 2
    assert text.endswith("Hier neem je zelf contact op.")
