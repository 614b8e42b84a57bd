"""Every sentence a page shows names its sources (backend/pages/teksten.yml).

Templates keep only short labels (headings, buttons, form labels); a sentence
lives in teksten.yml with its sources and is shown with {{ tekst("…") }}. This
test reads every template and fails on a sentence that is written in the template
itself, on a tekst() key that does not exist, and on an entry without a valid source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.content.sources import find_seeds_dir, parse_all, seed_lines
from backend.domain.termijnen import TERMIJN_LABEL
from backend.pages.kit import TEMPLATES_DIR
from backend.pages.teksten import TEKSTEN_PATH, TekstenFout, load_teksten, teksten
from backend.pages.texts import STATUS_NL, STATUS_UITLEG

ROOT = Path(__file__).resolve().parents[2]
PAGES_DIR = ROOT / "backend" / "pages"
INLINE = r"strong|em|span|a|abbr|code|b|i|small"
MIN_WORDS = 5  # "Er zijn nog geen berichten." counts; "Totaal: minder dan 5 meldingen." is a label
TEKST_CALL = re.compile(r"""tekst\(\s*["']([a-z_]+\.[a-z_]+)["']""")


def inline_sentences(template: str) -> list[str]:
    """Sentences (ending in . or !) written in a template rather than taken from teksten.yml."""
    text = re.sub(r"\{#.*?#\}", "", template, flags=re.S)
    text = re.sub(r"\{%.*?%\}", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " § ", text, flags=re.S)  # a value, not our wording
    text = re.sub(rf"</?({INLINE})\b[^>]*>", "", text)
    text = re.sub(r"<[^>]+>", "\n", text)
    found = []
    for line in text.splitlines():
        for sentence in re.findall(r"[^.!?]*[.!]", line):
            words = [w for w in re.findall(r"[^\W\d_]+", sentence)]
            if len(words) >= MIN_WORDS:
                found.append(" ".join(sentence.split()))
    return found


def templates() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(TEMPLATES_DIR.glob("*.html"))}


def test_no_template_writes_a_sentence_itself() -> None:
    written = {
        (name, sentence)
        for name, template in templates().items()
        for sentence in inline_sentences(template)
    }
    assert written == set()


def test_the_check_finds_a_sentence_in_a_template() -> None:
    template = '<p class="hint">Het loket belt je <strong>binnen een dag</strong> terug.</p>'
    assert inline_sentences(template) == ["Het loket belt je binnen een dag terug."]
    assert inline_sentences("<h2>Hoe staat het ervoor?</h2><p>Totaal: {{ n }} meldingen.</p>") == []
    assert inline_sentences('<p>{{ tekst("volgen.klaar") }}</p>') == []


def test_every_page_sentence_has_a_valid_source() -> None:
    entries = load_teksten()
    assert len(entries) >= 45
    for entry in entries.values():
        parse_all(list(entry.bronnen))  # raises on a malformed or missing source
    facts = [k for k, e in entries.items() if e.bronnen != ("gesprek",)]
    assert len(facts) >= 30


def test_an_entry_without_a_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "teksten.yml"
    path.write_text("chat:\n  x:\n    tekst: Niemand leest mee.\n", encoding="utf-8")
    with pytest.raises(TekstenFout, match="chat.x.bronnen: no source given"):
        load_teksten(path)
    path.write_text("chat:\n  x:\n    tekst: Hallo.\n    bronnen: [bron]\n", encoding="utf-8")
    with pytest.raises(TekstenFout, match="chat.x.bronnen"):
        load_teksten(path)


def test_every_key_the_pages_use_exists_and_every_entry_is_used() -> None:
    code = "\n".join(templates().values()) + "\n".join(
        p.read_text(encoding="utf-8") for p in PAGES_DIR.glob("*.py")
    )
    used = set(TEKST_CALL.findall(code)) - {"pagina.sleutel"}  # the docstring example
    # Keys built in Python: the status explanations and the kernwaarden.
    used |= {f"status.{s}" for s in STATUS_NL}
    used |= {f"kernwaarden.{w}" for w in ("integer", "betrouwbaar", "moedig", "verbindend")}
    used |= {f"volgen_termijn.{soort}" for soort in TERMIJN_LABEL}  # by the melding's clock
    used |= {
        "routeboekje.intro_veilig", "routeboekje.intro_boekje", "routeboekje.intro_moedig",
        "routeboekje.meldwijzer", "routeboekje.gesprek_teamleiding",
    }  # fmt: skip
    assert used - set(teksten()) == set()
    assert set(teksten()) - used == set()


def test_status_explanations_come_from_the_sourced_texts() -> None:
    for status in STATUS_NL:
        assert STATUS_UITLEG[status] == teksten()[f"status.{status}"].tekst


def test_cited_seed_lines_exist_and_are_not_blank() -> None:
    seeds_dir = find_seeds_dir(ROOT)
    if seeds_dir is None:
        pytest.skip("../shared/seeds is not on this machine")
    for key, entry in load_teksten(TEKSTEN_PATH).items():
        for bron in parse_all(list(entry.bronnen)):
            if bron.soort == "seed":
                assert "".join(seed_lines(bron, seeds_dir)).strip(), (key, bron)


def test_the_follow_up_page_promises_nothing_absolute_about_confidentiality() -> None:
    alles = " ".join(e.tekst for e in teksten().values())
    assert not re.search(r"blijft tussen jullie|hoort niets|Je mag niet benadeeld", alles)
    assert "beschermt de wet je" in teksten()["routeboekje.intro_moedig"].tekst
