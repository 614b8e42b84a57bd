"""The sentences of the pages with their sources (backend/pages/teksten.yml).

Templates show a sentence with ``{{ tekst("pagina.sleutel") }}``; the text is
escaped first, then ``**vet**`` becomes <strong> and ``*schuin*`` <em>, and
``{naam}`` placeholders are filled in from keyword arguments. Every entry names
its sources in the scheme of docs/sources.md; loading refuses an entry without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from backend.content.sources import BronFout, labels, parse_all

TEKSTEN_PATH = Path(__file__).resolve().parent / "teksten.yml"
_VET = re.compile(r"\*\*(.+?)\*\*")
_SCHUIN = re.compile(r"\*(.+?)\*")


class TekstenFout(ValueError):
    """backend/pages/teksten.yml is missing an entry, a text or a valid source."""


@dataclass(frozen=True)
class PaginaTekst:
    tekst: str
    bronnen: tuple[str, ...]

    @property
    def bron_labels(self) -> list[str]:
        """The sources as a melder reads them under "Bron"."""
        return labels(list(self.bronnen))


def load_teksten(path: Path = TEKSTEN_PATH) -> dict[str, PaginaTekst]:
    """All page sentences by "pagina.sleutel"; raises TekstenFout naming every problem."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    teksten: dict[str, PaginaTekst] = {}
    for pagina, entries in (raw or {}).items():
        for sleutel, entry in (entries or {}).items():
            key = f"{pagina}.{sleutel}"
            if not isinstance(entry, dict) or not str(entry.get("tekst") or "").strip():
                problems.append(f"{key}: no tekst")
                continue
            try:
                parse_all(entry.get("bronnen"))
            except BronFout as exc:
                problems.append(f"{key}.bronnen: {exc}")
                continue
            zin = " ".join(str(entry["tekst"]).split())
            teksten[key] = PaginaTekst(zin, tuple(entry["bronnen"]))
    if problems:
        raise TekstenFout(f"{path}: " + "; ".join(problems))
    return teksten


@lru_cache(maxsize=1)
def teksten() -> dict[str, PaginaTekst]:
    return load_teksten()


def platte_tekst(key: str, **waarden: object) -> str:
    """The sentence as plain text (markup removed), placeholders filled in."""
    text = _SCHUIN.sub(r"\1", _VET.sub(r"\1", teksten()[key].tekst))
    return text.format(**waarden) if waarden else text


def tekst(key: str, **waarden: object) -> Markup:
    """The sentence as safe HTML for a template: escaped, then **vet** and *schuin*."""
    html = str(escape(teksten()[key].tekst))
    if waarden:
        html = html.format(**{k: str(escape(str(v))) for k, v in waarden.items()})
    html = _SCHUIN.sub(r"<em>\1</em>", _VET.sub(r"<strong>\1</strong>", html))
    return Markup(html)  # noqa: S704 - escaped above; only our own tags are added


def volgen_termijn() -> dict[str, PaginaTekst]:
    """What the follow-up page says about the clock, by termijn_soort."""
    prefix = "volgen_termijn."
    return {k[len(prefix) :]: v for k, v in teksten().items() if k.startswith(prefix)}
