"""Issue 12, the missing paths: every answer cites its sources, offers buttons and the
vertrouwenspersoon, and every new FAQ topic has enough realistic examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backend.content.sources import find_seeds_dir, parse_all, seed_lines

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "bot/domain/paden.yml").read_text(encoding="utf-8"))
BRONNEN = yaml.safe_load((ROOT / "bot/bronnen/paden.yml").read_text(encoding="utf-8"))
NLU = yaml.safe_load((ROOT / "data/nlu/paden.yml").read_text(encoding="utf-8"))["nlu"]
TEXTS = yaml.safe_load((ROOT / "bot/texts.yml").read_text(encoding="utf-8"))
TEXT_BRONNEN = yaml.safe_load((ROOT / "bot/bronnen/texts.yml").read_text(encoding="utf-8"))
ISSUE_12_TEXTS = (
    "gids_aspirant_beoordeling", "praten_dag", "praten_nacht", "verstuurd_buiten_kantoortijd",
)  # fmt: skip


def test_the_leaders_button_and_question_get_the_same_steps() -> None:
    button = RESPONSES["responses"]["utter_leidinggevende_meer_stappen"]
    assert button == RESPONSES["responses"]["utter_faq/leidinggevende_vervolgstappen"]


def test_every_new_answer_has_sources_and_every_source_an_answer() -> None:
    assert set(BRONNEN) == set(RESPONSES["responses"])
    for name, refs in BRONNEN.items():
        bronnen = parse_all(refs)
        assert all(b.is_fact_source for b in bronnen), name


def test_every_new_action_text_has_sources() -> None:
    for key in ISSUE_12_TEXTS:
        assert key in TEXTS
        assert all(b.is_fact_source for b in parse_all(TEXT_BRONNEN[key])), key


def test_cited_seed_lines_hold_text() -> None:
    seeds_dir = find_seeds_dir(ROOT)
    if seeds_dir is None:
        pytest.skip("../shared/seeds is not on this machine")
    for refs in [*BRONNEN.values(), *(TEXT_BRONNEN[k] for k in ISSUE_12_TEXTS)]:
        for bron in parse_all(refs):
            if bron.soort == "seed":
                assert "".join(seed_lines(bron, seeds_dir)).strip(), bron


@pytest.mark.parametrize("name", sorted(RESPONSES["responses"]))
def test_every_answer_offers_buttons_and_someone_to_talk_to(name: str) -> None:
    (variant,) = RESPONSES["responses"][name]
    payloads = [b["payload"] for b in variant["buttons"]]
    assert "/wil_praten" in payloads
    assert "vertrouwenspersoon" in variant["text"]


def test_every_faq_topic_has_an_answer_and_at_least_fifteen_examples() -> None:
    intents = {block["intent"]: block["examples"].strip().splitlines() for block in NLU}
    faq = {name.removeprefix("faq/") for name in intents if name.startswith("faq/")}
    answers = {n.removeprefix("utter_faq/") for n in RESPONSES["responses"] if "faq/" in n}
    assert faq == answers and len(faq) >= 10
    for name, examples in intents.items():
        if name.startswith("faq/"):  # situatie_*: added to situaties.yml; a button intent
            assert len(examples) >= 15, name
        assert len(set(examples)) == len(examples), name
