"""The source-reference scheme itself (backend/content/sources.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.content.sources import BronFout, find_seeds_dir, labels, parse, parse_all, seeds

ROOT = Path(__file__).resolve().parents[2]


def test_a_seed_reference_names_the_document_and_lines() -> None:
    assert labels(["seed:003:120-128"]) == [
        "Plan van aanpak basisteam Rotterdam Centrum, met routeboekje (2024), regel 120-128"
    ]


@pytest.mark.parametrize(
    "ref",
    ["seed:009:1-2", "seed:003:0-4", "seed:003:10-5", "seed:003:840-900", "seed:003:1-80",
     "bron: iemand", "wet:", "", "ontwerpkeuze"],
)  # fmt: skip
def test_malformed_references_are_refused(ref: str) -> None:
    with pytest.raises(BronFout):
        parse(ref)


def test_conversation_cannot_hide_a_fact_and_an_empty_list_is_no_source() -> None:
    with pytest.raises(BronFout):
        parse_all(["gesprek", "seed:003:1-2"])
    with pytest.raises(BronFout):
        parse_all([])
    assert labels("gesprek") == []


def test_law_general_knowledge_and_design_choices_are_labelled_as_such() -> None:
    assert labels(
        [
            "wet:Wet bescherming klokkenluiders, art. 2c",
            "algemeen:113.nl",
            "ontwerpkeuze:de code bewaren we niet",
        ]
    ) == [  # fmt: skip
        "Wet bescherming klokkenluiders, art. 2c",
        "Algemene kennis: 113.nl",
        "Keuze van Meldwijzer: de code bewaren we niet",
    ]


def test_the_seed_index_matches_the_seeds_where_they_are_present() -> None:
    seeds_dir = find_seeds_dir(ROOT)
    if seeds_dir is None:
        pytest.skip("../shared/seeds is not on this machine; the index is checked where it is")
    for nummer, info in seeds().items():
        lines = (seeds_dir / info["bestand"]).read_text(encoding="utf-8").splitlines()
        assert len(lines) == info["regels"], nummer
