"""Which clock applies per loket: backend/data/termijnen.yaml plus an operator override.

Three kinds (``TermijnSoort``):

``wet``
    The term of the Wet bescherming klokkenluiders / Richtlijn (EU) 2019/1937 art. 9
    lid 1 (b) and (f). Only for ``meldpunt_misstanden``, and it always stays ``wet``.
``afspraak``
    A service promise the organisation sets: days to acknowledge and/or to give
    feedback, counted from receipt. Melders see it as an "afspraak", never as law.
``geen``
    No term; Meldwijzer promises no date.

Lokets not in the file get ``geen``. The override file (``MELDWIJZER_TERMIJNEN``) has
the same format and replaces the entries it names. Problems are reported as
``TermijnregelsError`` naming the file and the key, like the routeboekje loader
(``backend/routing/routeboekje.py``, which loads these rules with the routeboekje).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.content.sources import BronFout, parse_all
from backend.routing.codes import DIGITALE_LOKETTEN, LoketCode
from backend.routing.yaml_file import read_mapping

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "termijnen.yaml"
ENV_OVERRIDE = "MELDWIJZER_TERMIJNEN"

TermijnSoort = Literal["wet", "afspraak", "geen"]
TERMIJN_SOORTEN: tuple[TermijnSoort, ...] = ("wet", "afspraak", "geen")
# The klokkenluidersregeling: the only loket the legal term applies to.
WET_LOKETTEN: frozenset[str] = frozenset({"meldpunt_misstanden"})

Dagen = Annotated[int, Field(ge=1, le=366)]


class TermijnregelsError(ValueError):
    """The termijnen YAML (or its override) is missing, unreadable or inconsistent."""


class TermijnRegel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    soort: TermijnSoort
    bevestigen_dagen: Dagen | None = None
    terugkoppeling_dagen: Dagen | None = None
    bronnen: tuple[str, ...] = Field(min_length=1)


GEEN = TermijnRegel(
    soort="geen",
    bronnen=("ontwerpkeuze:voor dit loket is geen termijn ingesteld",),
)


class _Bestand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    versie: int = 1
    loketten: dict[LoketCode, TermijnRegel] = {}


Problem = tuple[str, str]


def _problems(code: str, regel: TermijnRegel) -> Iterator[Problem]:
    where = f"loketten.{code}"
    if code not in DIGITALE_LOKETTEN:
        yield where, "this loket receives no meldingen through Meldwijzer (CONTRACT §2)"
    try:
        soorten = {b.soort for b in parse_all(list(regel.bronnen))}
    except BronFout as exc:
        yield f"{where}.bronnen", str(exc)
        soorten = set()
    dagen = (regel.bevestigen_dagen, regel.terugkoppeling_dagen)
    if regel.soort == "wet":
        if code not in WET_LOKETTEN:
            yield (
                f"{where}.soort",
                (
                    "the legal term applies to the klokkenluidersregeling "
                    "(meldpunt_misstanden) only; use 'afspraak'"
                ),
            )
        if any(d is not None for d in dagen):
            yield where, "the law sets the days of 'wet'; leave out bevestigen/terugkoppeling_dagen"
        if soorten and "wet" not in soorten:
            yield f"{where}.bronnen", "'wet' needs a wet: source"
    elif regel.soort == "afspraak":
        if all(d is None for d in dagen):
            yield where, "'afspraak' needs bevestigen_dagen and/or terugkoppeling_dagen"
        b, t = dagen
        if b is not None and t is not None and t < b:
            yield f"{where}.terugkoppeling_dagen", "must not be before bevestigen_dagen"
        if soorten and "ontwerpkeuze" not in soorten:
            yield f"{where}.bronnen", "'afspraak' needs an ontwerpkeuze: source (who set it, why)"
    elif any(d is not None for d in dagen):
        yield where, "'geen' has no days"
    if code in WET_LOKETTEN and regel.soort != "wet":
        yield f"{where}.soort", "must be 'wet': the klokkenluiders term is the law"


def _read(path: Path) -> dict[str, TermijnRegel]:
    raw = read_mapping(path, TermijnregelsError, "a mapping with 'loketten'")
    try:
        bestand = _Bestand.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: {_loc(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise TermijnregelsError("\n".join(lines)) from None
    problems = [p for code, regel in bestand.loketten.items() for p in _problems(code, regel)]
    if problems:
        raise TermijnregelsError("\n".join(f"{path}: {w}: {what}" for w, what in problems))
    return {str(code): regel for code, regel in bestand.loketten.items()}


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def load_termijnregels(
    path: Path | None = None, override: Path | None = None
) -> dict[str, TermijnRegel]:
    """The rule per digital loket: the data file, then the override's entries on top."""
    regels: dict[str, TermijnRegel] = {str(code): GEEN for code in sorted(DIGITALE_LOKETTEN)}
    regels.update(_read(path or DEFAULT_PATH))
    if override is not None:
        regels.update(_read(override))
    return regels


def override_path(environ: Mapping[str, Any]) -> Path | None:
    """The operator's override file named by MELDWIJZER_TERMIJNEN, if set."""
    value = str(environ.get(ENV_OVERRIDE, "") or "").strip()
    return Path(value) if value else None
