"""Sources as a melder reads them on a page: one short "Bron" line per entry.

Seed citations of the same document are grouped ("Sociaal Jaarbeeld …, regel 239,
1053, 1193-1194"), the other sources keep their label from
``backend.content.sources`` ("Algemene kennis: …", "Keuze van Meldwijzer: …").
"""

from __future__ import annotations

from collections.abc import Iterable

from backend.content.sources import Bron, parse_all, seeds


def _regels(bronnen: list[Bron]) -> str:
    """'239, 1053, 1193-1194': overlapping line ranges merged, in order."""
    spans: list[list[int]] = []
    for van, tot in sorted((b.van, b.tot) for b in bronnen):
        if spans and van <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], tot)
        else:
            spans.append([van, tot])
    return ", ".join(str(van) if van == tot else f"{van}-{tot}" for van, tot in spans)


def bron_regel(refs: Iterable[str]) -> list[str]:
    """The labels to show after "Bron:", seed lines grouped per document, no repeats."""
    per_seed: dict[str, list[Bron]] = {}
    volgorde: list[tuple[str, str]] = []  # ("seed", nummer) or ("label", text)
    for ref in refs:
        for bron in parse_all([ref]):
            if bron.soort == "seed":
                if bron.seed not in per_seed:
                    per_seed[bron.seed] = []
                    volgorde.append(("seed", bron.seed))
                per_seed[bron.seed].append(bron)
            elif bron.is_fact_source and ("label", bron.label) not in volgorde:
                volgorde.append(("label", bron.label))
    out: list[str] = []
    for soort, waarde in volgorde:
        if soort == "seed":
            out.append(f"{seeds()[waarde]['titel']}, regel {_regels(per_seed[waarde])}")
        else:
            out.append(waarde.rstrip("."))
    return out
