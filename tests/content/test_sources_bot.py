"""Every text the bot says has a source (docs/sources.md, "Bot texts").

The texts are bot/texts.yml (said by the action server) and the responses in
bot/domain/*.yml (the rules' texts and the FAQ answers). Their sources live in
bot/bronnen/<same file name>.yml, keyed by text key or response name. The checks:
no text without a source, no source for a text that does not exist (dead), and no
reference outside the scheme of backend/content/sources.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backend.content.sources import BronFout, find_seeds_dir, parse_all, seed_lines

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
BRONNEN = BOT / "bronnen"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def text_files() -> dict[str, set[str]]:
    """File name -> the keys of the texts in it (texts.yml keys, response names)."""
    files = {"texts.yml": set(_load(BOT / "texts.yml"))}
    for path in sorted((BOT / "domain").glob("*.yml")):
        files[path.name] = set((_load(path) or {}).get("responses") or {})
    return files


def source_files() -> dict[str, dict[str, Any]]:
    return {path.name: _load(path) or {} for path in sorted(BRONNEN.glob("*.yml"))}


def problems(
    texts: dict[str, set[str]],
    sources: dict[str, dict[str, Any]],
    skip: dict[str, set[str]] | None = None,
) -> list[str]:
    """Everything wrong with the sources of these texts, as readable lines."""
    skip = skip or {}
    found: list[str] = []
    for name in sorted(set(sources) - set(texts)):
        found.append(f"bot/bronnen/{name}: there is no text file bot/{name} or bot/domain/{name}")
    for name, keys in sorted(texts.items()):
        if name not in sources:
            found.append(f"bot/bronnen/{name} is missing")
            continue
        entries = sources[name]
        if not isinstance(entries, dict):
            found.append(f"bot/bronnen/{name}: expected a map of text key -> list of sources")
            continue
        for key in sorted(keys - set(entries) - skip.get(name, set())):
            found.append(f"{name}:{key}: no source")
        for key in sorted(set(entries) - keys):
            found.append(f"bot/bronnen/{name}:{key}: names no text (dead entry)")
        for key, refs in sorted(entries.items()):
            try:
                parse_all(refs)
            except BronFout as error:
                found.append(f"bot/bronnen/{name}:{key}: {error}")
    return found


def test_every_bot_text_has_a_well_formed_source_and_no_source_is_dead() -> None:
    texts = text_files()
    assert sum(len(keys) for keys in texts.values()) > 140
    assert problems(texts, source_files()) == []


def test_the_check_finds_a_missing_a_dead_and_a_malformed_source() -> None:
    texts = {"texts.yml": {"groet", "uitleg"}, "faq.yml": {"utter_faq/x"}}
    sources = {
        "texts.yml": {"groet": ["gesprek"], "weg": ["gesprek"]},
        "faq.yml": {"utter_faq/x": ["seed:003:1-2", "gesprek"]},
        "oud.yml": {},
    }
    found = problems(texts, sources)
    assert "texts.yml:uitleg: no source" in found
    assert "bot/bronnen/texts.yml:weg: names no text (dead entry)" in found
    assert any(line.startswith("bot/bronnen/faq.yml:utter_faq/x: ") for line in found)
    assert any(line.startswith("bot/bronnen/oud.yml") for line in found)
    assert problems({"texts.yml": {"groet"}}, {"texts.yml": {"groet": ["gesprek"]}}) == []


def test_cited_seed_lines_are_not_empty_where_the_seeds_are_present() -> None:
    seeds_dir = find_seeds_dir(ROOT)
    if seeds_dir is None:
        pytest.skip("../shared/seeds is not on this machine; the index checks the line ranges")
    empty = [
        f"{name}:{key}"
        for name, entries in source_files().items()
        for key, refs in entries.items()
        for bron in parse_all(refs)
        if bron.soort == "seed" and not "".join(seed_lines(bron, seeds_dir)).strip()
    ]
    assert empty == []
