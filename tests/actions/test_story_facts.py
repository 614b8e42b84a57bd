"""Issue 11 point 1: take from the story only the facts it states clearly.

One aggregate test measures per-slot precision and recall over the whole case table
(tests/actions/story_facts_cases.yml); a handful of focused tests pin the issue's own
examples. A wrong slot is worse than a question, so precision must stay high.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.intake_answers import OPTIONS
from actions.story_facts import StoryFacts, extract_facts
from backend.routing.codes import EENHEDEN as CONTRACT_EENHEDEN

CASES_FILE = Path(__file__).with_name("story_facts_cases.yml")
SLOTS = ("eenheid", "rol_melder", "rol_ander", "sinds_wanneer", "eerder_gemeld")
MIN_PRECISION = 0.95
MIN_RECALL = 0.6
EENHEDEN = set(CONTRACT_EENHEDEN)  # CONTRACT.md §3 (stdlib-only module)


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
    return cases


def allowed_values(slot: str) -> set[str]:
    if slot == "eenheid":
        return EENHEDEN
    return {value for value, _ in OPTIONS[slot]} - {"weet_niet"}


def test_case_table_is_complete_and_valid() -> None:
    cases = load_cases()
    assert len(cases) >= 170
    texts = [case["text"] for case in cases]
    assert len(texts) == len(set(texts)), "duplicate stories in the case table"
    for case in cases:
        assert set(case["expect"]) == set(SLOTS), case["text"]
        for slot, value in case["expect"].items():
            assert value is None or value in allowed_values(slot), (case["text"], slot, value)


def test_precision_and_recall_per_slot() -> None:
    counts = {slot: {"tp": 0, "fp": 0, "fn": 0} for slot in SLOTS}
    wrong: list[str] = []
    for case in load_cases():
        facts = extract_facts(case["text"])
        for slot in SLOTS:
            got, expected = getattr(facts, slot), case["expect"][slot]
            if got is not None and got == expected:
                counts[slot]["tp"] += 1
            elif got is not None:
                counts[slot]["fp"] += 1
                wrong.append(f"{slot}: {got!r} (expected {expected!r}) in {case['text']!r}")
            if expected is not None and got != expected:
                counts[slot]["fn"] += 1
    report = []
    for slot, c in counts.items():
        found, relevant = c["tp"] + c["fp"], c["tp"] + c["fn"]
        precision = c["tp"] / found if found else 1.0
        recall = c["tp"] / relevant if relevant else 1.0
        report.append((slot, precision, recall, c))
        print(f"{slot:14} precision={precision:.3f} recall={recall:.3f} {c}")
    for line in wrong:
        print("WRONG", line)
    for slot, precision, recall, c in report:
        assert precision >= MIN_PRECISION, f"{slot} precision {precision:.3f} {c}: {wrong}"
        assert recall >= MIN_RECALL, f"{slot} recall {recall:.3f} {c}"


def test_every_value_is_a_contract_value() -> None:
    for case in load_cases():
        facts = extract_facts(case["text"])
        for slot in SLOTS:
            value = getattr(facts, slot)
            assert value is None or value in allowed_values(slot), (case["text"], slot, value)
            assert (value is None) == (slot not in facts.evidence)


def facts_of(text: str) -> dict[str, str | None]:
    facts = extract_facts(text)
    return {slot: getattr(facts, slot) for slot in SLOTS}


def expect(**given: str) -> dict[str, str | None]:
    return {slot: given.get(slot) for slot in SLOTS}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ik ben aspirant en mijn praktijkbegeleider beoordeelt mij steeds slechter.",
            expect(rol_melder="aspirant", rol_ander="begeleider"),
        ),
        (
            "ik werk bij de noodhulp in rotterdam en een collega noemt mij steeds "
            "de bruine als grap",
            expect(eenheid="rotterdam", rol_melder="betrokkene", rol_ander="collega"),
        ),
        (
            "Ik ben teamchef en een medewerker vertelde me…. Wat moet ik nu doen?",
            expect(rol_melder="leidinggevende"),
        ),
        (
            "Ik zag dat een collega racistische memes deelde in de groepsapp. "
            "Moet ik hier iets mee?",
            expect(rol_melder="omstander", rol_ander="collega"),
        ),
        (
            "mijn eigen teamchef schreeuwt me uit",
            expect(rol_melder="betrokkene", rol_ander="eigen_leidinggevende"),
        ),
        ("😡😡😡 ik ben zo boos op mn tc", expect(rol_ander="eigen_leidinggevende")),
        # The night persona's opener and story, kept together: the team only watches.
        (
            "😡😡😡 ik ben zo boos op mn tc\nhij scheldt me elke nachtdienst uit "
            "waar de hele ploeg bij is",
            expect(rol_melder="betrokkene", rol_ander="eigen_leidinggevende"),
        ),
        (
            "de hele ploeg lacht me uit waar de teamchef gewoon bij staat",
            expect(rol_melder="betrokkene", rol_ander="groep"),
        ),
        (
            "een collega van mij wordt door de teamchef uitgescholden",
            expect(rol_melder="omstander", rol_ander="andere_leidinggevende"),
        ),
        (
            "Ik werk in Zwolle en word al een half jaar gepest door mn collega's. "
            "Heb het gemeld bij mn lg maar er gebeurde niks",
            expect(
                eenheid="oost-nederland",
                rol_melder="betrokkene",
                rol_ander="groep",
                sinds_wanneer="maanden",
                eerder_gemeld="ja_geen_reactie",
            ),
        ),
        ("Ik werk bij basisteam Centrum", expect()),
        ("Ik werk bij basisteam Rotterdam Centrum", expect(eenheid="rotterdam")),
        ("Ik werk op Schiphol", expect(eenheid="noord-holland")),
        ("Ik werk in Rotterdam en Den Haag", expect()),
        ("Als ik het meld, wordt het dan bekend bij mijn team?", expect()),
        ("Moet ik dit melden?", expect()),
        ("Het gebeurt steeds, altijd als hij dienst heeft", expect()),
    ],
)
def test_issue_examples(text: str, expected: dict[str, str | None]) -> None:
    assert facts_of(text) == expected


def test_empty_story_gives_no_facts() -> None:
    assert extract_facts("") == StoryFacts()
    assert extract_facts("   ") == StoryFacts()
    assert extract_facts("🙂").evidence == {}


def test_evidence_names_the_words_found() -> None:
    facts = extract_facts("ik werk in Zwolle en mn tc pest me al maanden")
    assert facts.evidence["eenheid"] == "zwolle"
    assert "maanden" in facts.evidence["sinds_wanneer"]
    assert "teamchef" in facts.evidence["rol_ander"]


def test_facts_are_frozen_and_compare_without_evidence() -> None:
    first = StoryFacts(eenheid="rotterdam", evidence={"eenheid": "rotterdam"})
    assert first == StoryFacts(eenheid="rotterdam")
    with pytest.raises(AttributeError):
        first.eenheid = "limburg"  # type: ignore[misc]
