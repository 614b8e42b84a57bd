"""Sources of the texts a melder reads: one scheme for bot texts, routeboekje and pages.

Every user-facing text carries a list of source references (see docs/sources.md).
A reference is one string in one of these forms:

``seed:NNN:a-b``
    Lines a to b (1-based, as ``sed -n a,bp`` prints them) of seed file NNN in
    ``../shared/seeds/``. The line counts live in ``seeds.yml`` so a citation can be
    checked on a machine without the seeds.
``wet:<citation>``
    A law or regulation article, e.g. ``wet:Wet bescherming klokkenluiders, art. 2c``.
``algemeen:<public reference>``
    General knowledge with a public reference (a public service or website),
    e.g. ``algemeen:113 Zelfmoordpreventie, 113.nl``. Shown as "algemene kennis".
``ontwerpkeuze:<why>``
    A Meldwijzer design choice (how anonymity, the meldcode or the chat work here).
``gesprek``
    The text states no fact: a question, an acknowledgement, a button label.

This module depends on the standard library and PyYAML only, so the bot's tests
can use it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SEEDS_INDEX = HERE / "seeds.yml"

SOORTEN = ("seed", "wet", "algemeen", "ontwerpkeuze", "gesprek")
_SEED = re.compile(r"^seed:(\d{3}):(\d+)-(\d+)$")
_LABELLED = re.compile(r"^(wet|algemeen|ontwerpkeuze):(\S.*)$")


@dataclass(frozen=True)
class Bron:
    soort: str
    tekst: str = ""  # citation, reference or reason
    seed: str = ""
    van: int = 0
    tot: int = 0

    @property
    def label(self) -> str:
        """How a melder reads this source (Dutch)."""
        if self.soort == "seed":
            titel = seeds()[self.seed]["titel"]
            return f"{titel}, regel {self.van}-{self.tot}"
        if self.soort == "wet":
            return self.tekst
        if self.soort == "algemeen":
            return f"Algemene kennis: {self.tekst}"
        if self.soort == "ontwerpkeuze":
            return f"Keuze van Meldwijzer: {self.tekst}"
        return ""

    @property
    def is_fact_source(self) -> bool:
        return self.soort != "gesprek"


class BronFout(ValueError):
    """A source reference that does not follow the scheme."""


@lru_cache(maxsize=1)
def seeds() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(SEEDS_INDEX.read_text(encoding="utf-8"))
    return data


def parse(ref: object) -> Bron:
    """One reference string → Bron; raises BronFout with a reason."""
    if not isinstance(ref, str):
        raise BronFout(f"a source must be a string, got {ref!r}")
    ref = ref.strip()
    if ref == "gesprek":
        return Bron("gesprek")
    seed = _SEED.match(ref)
    if seed:
        nummer, van, tot = seed.group(1), int(seed.group(2)), int(seed.group(3))
        index = seeds()
        if nummer not in index:
            raise BronFout(f"{ref}: there is no seed {nummer}")
        if not 1 <= van <= tot <= int(index[nummer]["regels"]):
            raise BronFout(f"{ref}: lines outside 1-{index[nummer]['regels']}")
        if tot - van > 40:
            raise BronFout(f"{ref}: cite at most 40 lines, so a reader can check it")
        return Bron("seed", seed=nummer, van=van, tot=tot)
    labelled = _LABELLED.match(ref)
    if labelled:
        return Bron(labelled.group(1), tekst=labelled.group(2).strip())
    raise BronFout(f"{ref!r}: expected seed:NNN:a-b, wet:…, algemeen:…, ontwerpkeuze:… or gesprek")


def parse_all(refs: object) -> list[Bron]:
    """A list of references (a single string is accepted as a list of one)."""
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list) or not refs:
        raise BronFout("no source given")
    bronnen = [parse(ref) for ref in refs]
    if any(b.soort == "gesprek" for b in bronnen) and len(bronnen) > 1:
        raise BronFout("'gesprek' means no fact is stated; it cannot stand beside a source")
    return bronnen


def labels(refs: object) -> list[str]:
    """The Dutch labels to show under "Bron" (empty for pure conversation)."""
    return [b.label for b in parse_all(refs) if b.is_fact_source]


def seed_lines(bron: Bron, seeds_dir: Path) -> list[str]:
    """The cited lines themselves (for review tools and tests where the seeds exist)."""
    path = seeds_dir / seeds()[bron.seed]["bestand"]
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[bron.van - 1 : bron.tot]


def find_seeds_dir(root: Path) -> Path | None:
    """../shared/seeds beside the checkout (or /work/shared/seeds), if present."""
    for candidate in (root.parent / "shared" / "seeds", Path("/work/shared/seeds")):
        if candidate.is_dir():
            return candidate
    return None
