"""Load and validate the routeboekje (backend/data/routeboekje.yaml).

The YAML is the single source of the lokets, the situation categories, their
default routes and the per-eenheid rules. Every problem is reported as a
`RouteboekjeError` naming the file, the key path and the problem, so a content
editor can fix the YAML without reading Python.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from backend.content.sources import BronFout, labels, parse_all
from backend.routing.codes import (
    CATEGORIE_GROEP,
    CATEGORIEEN,
    DIGITALE_LOKETTEN,
    EENHEDEN,
    GROEPEN,
    LANDELIJKE_LOKETTEN,
    LOKETTEN,
    ONDERZOEKENDE_LOKETTEN,
    ROLLEN,
    STEUN_LOKETTEN,
    WENSEN,
    CategorieCode,
    EenheidCode,
    EerderGemeld,
    Groep,
    LoketCode,
    Niveau,
    RolMelder,
    Wens,
)
from backend.routing.termijnregels import (
    GEEN,
    TermijnRegel,
    TermijnregelsError,
    load_termijnregels,
    override_path,
)
from backend.routing.yaml_file import read_mapping

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "routeboekje.yaml"

# Placeholders a user-facing text may contain; routing fills them in.
TEXT_PLACEHOLDERS = frozenset({"kort"})
# Used by contact_voor() when the melder did not say which eenheid.
ONBEKENDE_EENHEID_CODE = "jouw-eenheid"
ONBEKENDE_EENHEID_NAAM = "je eigen eenheid"

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LoketLijst = tuple[LoketCode, ...]
# Sources per text field (docs/sources.md): field name -> list of source references.
Bronnen = dict[str, tuple[str, ...]]

# The text fields of each kind of entry that must name their sources.
LOKET_TEKSTVELDEN = (
    "naam", "wat_doet", "wanneer", "wat_gebeurt_er", "waarom", "anoniem_uitleg", "contact",
)  # fmt: skip


class RouteboekjeError(ValueError):
    """The routeboekje YAML is missing, unreadable or inconsistent with the contract."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Model):
    telefoon: Tekst
    email: Tekst
    intranet: Tekst
    openingstijden: Tekst


class Loket(_Model):
    naam: Tekst
    wat_doet: Tekst
    wanneer: Tekst
    wat_gebeurt_er: Tekst
    waarom: Tekst
    onderzoekt: StrictBool
    ondersteunt: StrictBool
    ontvangt_digitaal: StrictBool
    anoniem_mogelijk: StrictBool
    anoniem_uitleg: Tekst
    niveau: Niveau
    contact: Contact
    bronnen: Bronnen = {}


class Categorie(_Model):
    groep: Groep
    label: Tekst
    kort: Tekst
    route: LoketLijst = Field(min_length=1)
    altijd: LoketLijst = ()
    eerst_uit: LoketLijst = ()
    max_plaats: dict[LoketCode, Annotated[int, Field(ge=2)]] = {}
    waarom: dict[LoketCode, Tekst] = {}
    bronnen: Bronnen = {}


class GroepRegel(_Model):
    altijd: LoketLijst = ()
    bij_wens: dict[Wens, LoketLijst] = {}
    bij_rol: dict[RolMelder, LoketLijst] = {}
    geen_onderzoek_eerst: StrictBool = False


class WensRegel(_Model):
    voorkeur: LoketLijst = ()
    eerst_verplicht: StrictBool = False
    toevoegen: LoketCode | None = None
    tekst: Tekst | None = None
    bronnen: Bronnen = {}


class RolRegel(_Model):
    voorkeur: LoketLijst = ()
    tekst: Tekst | None = None
    bronnen: Bronnen = {}


class Escalatie(_Model):
    na: tuple[EerderGemeld, ...]
    toevoegen: LoketLijst = ()
    niet_voor_groepen: tuple[Groep, ...] = ()
    loketten: LoketLijst = ()


class EenheidRegel(_Model):
    altijd_onderzoek: tuple[CategorieCode, ...] = ()
    toelichting: Tekst
    bronnen: Bronnen = {}


class Teksten(_Model):
    lijn_betrokken: Tekst
    lijn_geen_reactie: Tekst
    aspirant: Tekst
    omstander: Tekst
    escalatie: Tekst
    lopend: Tekst
    niet_anoniem: Tekst
    bronnen: Bronnen = {}


class Routeboekje(_Model):
    versie: int
    eenheden: dict[EenheidCode, Tekst]
    loketten: dict[LoketCode, Loket]
    groepen: dict[Groep, GroepRegel]
    categorieen: dict[CategorieCode, Categorie]
    wensen: dict[Wens, WensRegel]
    rollen: dict[RolMelder, RolRegel]
    escalatie: Escalatie
    eenheid_regels: dict[EenheidCode, EenheidRegel] = {}
    terugval: LoketLijst = Field(min_length=1)
    teksten: Teksten
    # Filled from backend/data/termijnen.yaml (+ override) by load_routeboekje.
    termijnen: dict[str, TermijnRegel] = {}

    def termijn_regel(self, loket: str) -> TermijnRegel:
        """Which clock applies to a melding at this loket (``geen`` if none is set)."""
        return self.termijnen.get(loket, GEEN)

    def loket(self, code: str) -> Loket:
        try:
            return self.loketten[code]  # type: ignore[index]
        except KeyError:
            raise KeyError(f"unknown loket code {code!r}") from None

    def categorie(self, code: str) -> Categorie:
        try:
            return self.categorieen[code]  # type: ignore[index]
        except KeyError:
            raise KeyError(f"unknown categorie code {code!r}") from None

    def bron_labels(self, code: str) -> list[str]:
        """The sources of a loket's texts as a melder reads them ("Bron"), without repeats."""
        gezien: dict[str, None] = {}
        for veld in LOKET_TEKSTVELDEN:
            for label in labels(list(self.loket(code).bronnen[veld])):
                gezien.setdefault(label, None)
        return list(gezien)

    def loket_naam(self, code: str) -> str:
        """The loket's name for display; an unknown code as it is."""
        loket = self.loketten.get(code)  # type: ignore[call-overload]
        return code if loket is None else str(loket.naam)

    def categorie_naam(self, code: str) -> str:
        """The situation's short name for display; an unknown code as it is."""
        categorie = self.categorieen.get(code)  # type: ignore[call-overload]
        return code if categorie is None else str(categorie.kort)

    def groep(self, code: str) -> GroepRegel:
        return self.groepen[code]  # type: ignore[index]

    def eenheid_naam(self, eenheid: str | None) -> str:
        if eenheid is None:
            return ONBEKENDE_EENHEID_NAAM
        return self.eenheden[eenheid]  # type: ignore[index]

    def contact_voor(self, loket_code: str, eenheid: str | None) -> dict[str, str]:
        """Contact details of a loket with `{eenheid}` and `{eenheid_naam}` filled in."""
        self.loket(loket_code)  # KeyError with a clear message for unknown codes
        return dict(self.contact_tabel[(loket_code, eenheid)])

    @cached_property
    def contact_tabel(self) -> dict[tuple[str, str | None], dict[str, str]]:
        """All filled-in contacts, per (loket, eenheid or None); computed once."""
        tabel: dict[tuple[str, str | None], dict[str, str]] = {}
        for eenheid in (None, *self.eenheden):
            code = eenheid if eenheid is not None else ONBEKENDE_EENHEID_CODE
            naam = self.eenheid_naam(eenheid)
            for loket_code, loket in self.loketten.items():
                tabel[(loket_code, eenheid)] = {
                    veld: value.replace("{eenheid}", code).replace("{eenheid_naam}", naam)
                    for veld, value in loket.contact.model_dump().items()
                }
        return tabel


# --- loading ---------------------------------------------------------------------------


def load_routeboekje(
    path: Path | None = None,
    *,
    termijnen: Path | None = None,
    termijnen_override: Path | None = None,
) -> Routeboekje:
    """Read, parse and validate a routeboekje YAML file (default: the bundled one),
    with the clock rules per loket (default: backend/data/termijnen.yaml) and an
    operator's override of them."""
    path = path or DEFAULT_PATH
    raw = read_mapping(path, RouteboekjeError)
    # Completeness first: a missing loket is clearer than the errors it causes later.
    problems = list(_completeness_problems(raw))
    if not problems:
        try:
            boek = Routeboekje.model_validate(raw)
        except ValidationError as exc:
            problems = [(_format_loc(err["loc"]), _format_problem(err)) for err in exc.errors()]
        else:
            problems = list(_consistency_problems(boek))
    if problems:
        lines = [f"{path}: {where}: {what}" for where, what in problems]
        raise RouteboekjeError("\n".join(lines))
    try:
        regels = load_termijnregels(termijnen, termijnen_override)
    except TermijnregelsError as exc:
        raise RouteboekjeError(str(exc)) from exc
    return boek.model_copy(update={"termijnen": regels})


@lru_cache(maxsize=1)
def default_routeboekje() -> Routeboekje:
    """The bundled routeboekje (clock override from MELDWIJZER_TERMIJNEN), loaded once."""
    return load_routeboekje(termijnen_override=override_path(os.environ))


# --- validation helpers ----------------------------------------------------------------

Problem = tuple[str, str]


def _completeness_problems(raw: Mapping[str, Any]) -> Iterator[Problem]:
    """Every code of the contract must be present (unknown codes are caught by pydantic)."""
    required: dict[str, tuple[str, Iterable[str]]] = {
        "eenheden": ("eenheid", EENHEDEN),
        "loketten": ("loket", LOKETTEN),
        "groepen": ("groep", GROEPEN),
        "categorieen": ("categorie", CATEGORIEEN),
        "wensen": ("wens", WENSEN),
        "rollen": ("rol", ROLLEN),
    }
    for section, (kind, codes) in required.items():
        present = raw.get(section)
        if not isinstance(present, dict):
            yield section, "missing section (must be a mapping)"
            continue
        for code in codes:
            if code not in present:
                yield f"{section}.{code}", f"missing {kind} {code!r} (required by CONTRACT.md)"


def _consistency_problems(boek: Routeboekje) -> Iterator[Problem]:
    """Cross-checks against CONTRACT.md that a field-level schema cannot express."""
    for code, loket in boek.loketten.items():
        where = f"loketten.{code}"
        if loket.ontvangt_digitaal != (code in DIGITALE_LOKETTEN):
            yield f"{where}.ontvangt_digitaal", f"must be {code in DIGITALE_LOKETTEN} (CONTRACT §2)"
        if code in LANDELIJKE_LOKETTEN and loket.niveau != "landelijk":
            yield f"{where}.niveau", "must be 'landelijk' (national loket, CONTRACT §2)"
        if code in ONDERZOEKENDE_LOKETTEN and not loket.onderzoekt:
            yield f"{where}.onderzoekt", "must be true (investigative, CONTRACT §5 principle 8)"
        if loket.ondersteunt != (code in STEUN_LOKETTEN):
            steun = code in STEUN_LOKETTEN
            yield f"{where}.ondersteunt", f"must be {steun} (CONTRACT §5 principle 9)"
        yield from _placeholder_problems(where, loket.model_dump(exclude={"contact", "bronnen"}))
        yield from _bron_problems(where, LOKET_TEKSTVELDEN, loket.bronnen)
    for cat_code, cat in boek.categorieen.items():
        where = f"categorieen.{cat_code}"
        groep = CATEGORIE_GROEP[cat_code]
        if cat.groep != groep:
            yield f"{where}.groep", f"must be {groep!r} (CONTRACT §1), got {cat.groep!r}"
        if len(set(cat.route)) != len(cat.route):
            yield f"{where}.route", "contains a loket twice"
        yield from _placeholder_problems(f"{where}.waarom", cat.waarom)
        velden = ("label", "route", *(f"waarom.{code}" for code in cat.waarom))
        yield from _bron_problems(where, velden, cat.bronnen)
    regels: list[tuple[str, WensRegel | RolRegel]] = [
        *((f"wensen.{code}", wens) for code, wens in boek.wensen.items()),
        *((f"rollen.{code}", rol) for code, rol in boek.rollen.items()),
    ]
    for where, wens_of_rol in regels:
        velden = ("tekst",) if wens_of_rol.tekst else ()
        yield from _bron_problems(where, velden, wens_of_rol.bronnen)
    for eenheid, regel in boek.eenheid_regels.items():
        toelichting = {"toelichting": regel.toelichting}
        yield from _placeholder_problems(f"eenheid_regels.{eenheid}", toelichting)
        yield from _bron_problems(f"eenheid_regels.{eenheid}", ("toelichting",), regel.bronnen)
    teksten = boek.teksten.model_dump(exclude={"bronnen"})
    yield from _placeholder_problems("teksten", teksten)
    yield from _bron_problems("teksten", tuple(teksten), boek.teksten.bronnen)


def _bron_problems(where: str, velden: Iterable[str], bronnen: Bronnen) -> Iterator[Problem]:
    """Every text field names its sources in the scheme of docs/sources.md; no stray keys."""
    velden = tuple(velden)
    for veld in velden:
        if veld not in bronnen:
            yield f"{where}.bronnen.{veld}", "missing: every text needs a source (docs/sources.md)"
            continue
        try:
            parse_all(list(bronnen[veld]))
        except BronFout as exc:
            yield f"{where}.bronnen.{veld}", f"invalid source: {exc}"
    for veld in bronnen:
        if veld not in velden:
            yield f"{where}.bronnen.{veld}", "source for a text that does not exist"


def _placeholder_problems(where: str, texts: Mapping[Any, object]) -> Iterator[Problem]:
    for key, text in texts.items():
        if not isinstance(text, str):
            continue
        for _, field, _, _ in string.Formatter().parse(text):
            if field is not None and field not in TEXT_PLACEHOLDERS:
                allowed = ", ".join(sorted(TEXT_PLACEHOLDERS))
                yield f"{where}.{key}", f"unknown placeholder {{{field}}} (allowed: {allowed})"


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (key)"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _format_problem(err: Mapping[str, Any]) -> str:
    if err["type"] == "literal_error":
        return f"unknown code {err['input']!r} ({err['msg']})"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return f"unknown field (value {err['input']!r})"
    return f"{err['msg']} (got {err['input']!r})"
