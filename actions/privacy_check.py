"""Find words in a melder's own story that may give away who they are (issue 15.2).

Runs on the melder's side only (the action server): the text never goes to the backend
for this. Two sources of findings, merged:

* ``deduce`` (Dutch de-identification): names (first names, surnames, initials,
  "van der ..."), place and street names, dates, phone numbers and e-mail addresses;
* own rules for police work (``actions/privacy_regels.yml``): rank or role + name, team
  and basisteam names, bureau + place, personnel/registration/BVH/PV/roep numbers,
  number plates, clock times, month names and years, and rare traits ("de enige vrouw in
  het team").

A role alone ("mijn leidinggevende", "de OE") is not flagged: the intake asks for roles.
The eenheid is not flagged either: every melding names it. See docs/privacy-check.md.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REGELS = Path(__file__).resolve().parent / "privacy_regels.yml"
PLAATSEN = Path(__file__).resolve().parent / "plaatsen.yml"
# deduce builds its lookup structures once (1-5 minutes) and pickles them here
# (about 75 MB); later starts load the pickle (10-50 s). Build it ahead with
# ``python -m actions.privacy_check``.
DEDUCE_CACHE = Path(os.environ.get("MELDWIJZER_DEDUCE_CACHE", ROOT / "var" / "deduce"))

# What a replaced word becomes, per kind. Dutch: the melder and the loket read it.
PLAATSHOUDER = {
    "naam": "[naam]",
    "datum": "[datum]",
    "tijd": "[tijd]",
    "plaats": "[plaats]",
    "team": "[team]",
    "telefoon": "[telefoonnummer]",
    "nummer": "[nummer]",
    "email": "[e-mailadres]",
    "kenmerk": "[kenmerk]",
}
SOORTEN = tuple(PLAATSHOUDER)
# When two findings overlap, the wider one wins; on equal width this order decides.
_VOORRANG = {
    s: i
    for i, s in enumerate(
        ("email", "telefoon", "nummer", "kenmerk", "team", "tijd", "datum", "naam", "plaats")
    )
}


@dataclass(frozen=True)
class Vondst:
    """One finding: ``tekst`` is ``story[start:end]``."""

    start: int
    end: int
    tekst: str
    soort: str

    @property
    def plaatshouder(self) -> str:
        return PLAATSHOUDER[self.soort]


# --- own rules -----------------------------------------------------------------


@lru_cache(maxsize=1)
def regels() -> dict[str, list[str]]:
    with REGELS.open(encoding="utf-8") as handle:
        data: dict[str, list[str]] = yaml.safe_load(handle)
    return data


@lru_cache(maxsize=1)
def _eenheid_namen() -> frozenset[str]:
    """Names of the eenheden themselves (normalised): part of every melding anyway."""
    with PLAATSEN.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.safe_load(handle)
    namen = {k for k in data.get("eenheden", {})}
    namen |= {v.replace("-", " ") for v in data.get("eenheden", {}).values()}
    return frozenset(namen)


@lru_cache(maxsize=1)
def _plaatsnamen() -> frozenset[str]:
    """Towns and cities of actions/plaatsen.yml (normalised, lower case)."""
    with PLAATSEN.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.safe_load(handle)
    namen: set[str] = set()
    for sectie, items in data.items():
        if sectie != "eenheden" and isinstance(items, dict):
            namen |= set(items)
    return frozenset(namen - _eenheid_namen())


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A name: capitalised words, lower-case interfixes only after a capitalised first name
# ("Van der Meer", "Linda de Jong-Bakker", "W. Koster"), never "van Turkse afkomst".
_WOORD = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)*"
_NAAM = (
    r"(?:[A-Z]\.\s?)*(?:(?:Van|De|Ter|Ten|El|Al)\s(?:(?:der|den|de)\s)?)?"
    + _WOORD
    + r"(?:\s(?:(?:van der|van den|van de|van|de|den|der|ter|ten|el)\s)?"
    + _WOORD
    + r")?"
)
_GEBIED = r"[A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*"
_MAANDEN = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DAGEN = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
_TELWOORD_UUR = "een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf"


@lru_cache(maxsize=1)
def _patronen() -> list[tuple[str, re.Pattern[str], int]]:
    """(kind, pattern, group) for the own rules; group 0 is the whole match."""
    r = regels()
    voor_naam = _alt(r["voor_naam"])
    team = _alt(r["team_woorden"])
    bureau = _alt(r["bureau_woorden"])
    nummer = _alt(r["nummer_woorden"])
    kenmerk = _alt(r["kenmerk_woorden"])
    return [
        ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), 0),
        (
            "telefoon",
            re.compile(
                r"(?<![\w+])(?:(?:\+|00)31[\s-]?\(?0?\)?[\s-]?[1-9](?:[\s-]?\d){8}"
                r"|0[1-9](?:[\s-]?\d){8})(?!\d)"
            ),
            0,
        ),
        # A number after a keyword: "personeelsnummer 1234567", "PV-nummer 2024-045671".
        (
            "nummer",
            re.compile(
                rf"(?i)\b(?:{nummer})\b[\s:]*(?:is\s+|was\s+)?(?:nr\.?\s*)?"
                r"([A-Z]{0,3}[\s-]?\d[\w-]*\d(?:[-/]\d+)*)"
            ),
            1,
        ),
        ("nummer", re.compile(r"\bPL\d{4}-\d{6,12}\b"), 0),
        ("nummer", re.compile(r"(?<![\d-])\d{7,}(?![\d-])"), 0),
        # Dutch number plates: 12-ABC-3, AB-123-C, 1-ABC-23 ...
        (
            "nummer",
            re.compile(
                r"\b(?:\d{1,2}-[A-Z]{2,3}-\d{1,2}|[A-Z]{2}-\d{2,3}-[A-Z]{1,2}|[A-Z]{2}-[A-Z]{2}-\d{2}"
                r"|\d{2}-\d{2}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z])\b"
            ),
            0,
        ),
        (
            "tijd",
            re.compile(
                r"(?i)(?<![\d.:-])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d.:-]\d)(?:\s?uur)?"
                rf"|\b(?:half|kwart over|kwart voor)\s(?:{_TELWOORD_UUR})\b"
                rf"|\bom\s(?:\d{{1,2}}|{_TELWOORD_UUR})\suur\b"
            ),
            0,
        ),
        (
            "datum",
            re.compile(
                rf"(?i)\b(?:(?:{_DAGEN})\s)?\d{{1,2}}\s(?:{_MAANDEN})\b(?:\s(?:19|20)\d{{2}})?"
                rf"|\b(?:{_DAGEN})\s\d{{1,2}}\s(?:{_MAANDEN})\b"
                rf"|\b(?:{_MAANDEN})\s(?:19|20)\d{{2}}\b"
                r"|(?<![\d-])\d{1,2}[-/]\d{1,2}(?:[-/](?:19|20)?\d{2})?(?![\d-])"
                r"|(?<![\d-])(?:19[5-9]\d|20[0-4]\d)(?![\d-])"
            ),
            0,
        ),
        # A month alone ("in december"): lower case or capitalised, not "mei" in a word.
        ("datum", re.compile(rf"(?i)\b(?:in|sinds|vanaf|eind|begin|half)\s((?:{_MAANDEN}))\b"), 1),
        # Rank or role + name: "brigadier De Vries", "collega Sanne Bakker", "tc ruud".
        ("naam", re.compile(rf"(?i:\b(?:{voor_naam})\b\.?)\s({_NAAM})"), 1),
        # Team and unit names: "basisteam Zaanstreek-Noord", "ME Den Haag",
        # "hondengeleiders in Limburg", "Dienst Infrastructuur".
        (
            "team",
            re.compile(rf"(?i:\b(?:{team}))\s(?:(?:in|van|uit)\s)?(?-i:{_GEBIED})"),
            0,
        ),
        # Bureau + place: "bureau Leeuwarden", "hoofdbureau in Den Haag".
        ("plaats", re.compile(rf"(?i:\b(?:{bureau}))\s(?:(?:in|van)\s)?(?-i:{_GEBIED})"), 0),
        # Rare traits: "de enige vrouw in de ploeg", "als enige in het team een Turkse
        # achtergrond", "de oudste van het team".
        (
            "kenmerk",
            re.compile(
                rf"(?i)\b(?:de|als|ben|zijn)\s+enige\b(?:\s+[\wà-ÿ'-]+){{0,6}}?\s+(?:{kenmerk})\b"
                r"(?:\s+(?:in|op|bij|van)\s+(?:de|het|ons|onze|mijn)?\s*[\wà-ÿ-]+)?"
            ),
            0,
        ),
        (
            "kenmerk",
            re.compile(
                r"(?i)\bde\s+(?:oudste|jongste)\s+(?:van|in|op)\s+(?:het|de|ons|onze|mijn)\s+\w+"
            ),
            0,
        ),
    ]


def _plaats_vondsten(tekst: str) -> list[Vondst]:
    """Towns from actions/plaatsen.yml, written with a capital (as a place name is)."""
    vondsten = []
    for match in re.finditer(r"[A-Z][\wà-ÿ'-]*(?:\s[A-Z][\wà-ÿ'-]*)?", tekst):
        woorden = match.group(0)
        for kandidaat in (woorden, woorden.split(" ")[0]):
            sleutel = re.sub(r"[-']", " ", kandidaat).lower().strip()
            if sleutel in _plaatsnamen():
                start = match.start()
                vondsten.append(Vondst(start, start + len(kandidaat), kandidaat, "plaats"))
                break
    # Typed in lower case, as in a chat: only straight after "in", "bij", "uit" ...
    for match in re.finditer(r"\b(?:in|bij|uit|naar|te|vanuit)\s+((?:[a-zà-ÿ'-]+\s?){1,3})", tekst):
        reeks = match.group(1).split()
        for lengte in range(len(reeks), 0, -1):
            if _normaal(" ".join(reeks[:lengte])) in _plaatsnamen():
                start = match.start(1)
                end = start + len(" ".join(reeks[:lengte]))
                vondsten.append(Vondst(start, end, tekst[start:end], "plaats"))
                break
    return vondsten


def eigen_regels(tekst: str) -> list[Vondst]:
    """Findings of the own rules only (no deduce)."""
    vondsten = []
    for soort, patroon, groep in _patronen():
        for match in patroon.finditer(tekst):
            start, end = match.span(groep)
            if start < 0 or end <= start:
                continue
            vondsten.append(Vondst(start, end, tekst[start:end], soort))
    vondsten.extend(_plaats_vondsten(tekst))
    return vondsten


# --- deduce --------------------------------------------------------------------

# Only what helps here: names, places, streets; deduce's dates, phone numbers and
# e-mail rules are covered by the own rules above. deduce 3.0.4's wheel lacks its
# base_config.json, so the annotators are configured here.
_DEDUCE_CONFIG: dict[str, Any] = {
    "adjacent_annotations_slack": r"[\. \-]?[\. ]?",
    "resolve_overlap_strategy": {"attributes": ["priority", "length"], "ascending": [False, False]},
    "redactor_open_char": "[",
    "redactor_close_char": "]",
    "annotators": {
        "prefix_with_initial": {
            "annotator_type": "deduce.annotator.TokenPatternAnnotator",
            "group": "names",
            "args": {
                "tag": "prefix+initiaal",
                "skip": ["."],
                "pattern": [
                    {"lookup": "prefix"},
                    {"or": [{"lookup": "initial"}, {"is_initials": True}]},
                ],
            },
        },
        "prefix_with_name": {
            "annotator_type": "deduce.annotator.TokenPatternAnnotator",
            "group": "names",
            "args": {
                "tag": "prefix+naam",
                "skip": ["."],
                "pattern": [
                    {"lookup": "prefix"},
                    {"and": [{"like_name": True}, {"neg_lookup": "whitelist"}]},
                ],
            },
        },
        "interfix_with_name": {
            "annotator_type": "deduce.annotator.TokenPatternAnnotator",
            "group": "names",
            "args": {
                "tag": "interfix+achternaam",
                "skip": [],
                "pattern": [
                    {"lookup": "interfix"},
                    {"and": [{"lookup": "interfix_surname"}, {"neg_lookup": "whitelist"}]},
                ],
            },
        },
        "initial_with_name": {
            "annotator_type": "deduce.annotator.TokenPatternAnnotator",
            "group": "names",
            "args": {
                "tag": "initiaal+naam",
                "skip": ["."],
                "pattern": [
                    {"lookup": "initial"},
                    {
                        "and": [
                            {"like_name": True},
                            {"neg_lookup": "whitelist"},
                            {"neg_lookup": "prefix"},
                        ]
                    },
                ],
            },
        },
        "first_name_lookup": {
            "annotator_type": "docdeid.process.MultiTokenLookupAnnotator",
            "group": "names",
            "args": {"tag": "voornaam", "overlapping": True, "lookup_values": "first_name"},
        },
        "surname_lookup": {
            "annotator_type": "docdeid.process.MultiTokenLookupAnnotator",
            "group": "names",
            "args": {"tag": "achternaam", "overlapping": True, "lookup_values": "surname"},
        },
        "name_context": {
            "annotator_type": "deduce.annotator.ContextAnnotator",
            "group": "names",
            "args": {
                "iterative": True,
                "pattern": [
                    {
                        "name": "interfix_right",
                        "direction": "right",
                        "pre_tag": ["initiaal", "naam", "voornaam", "achternaam"],
                        "tag": "{tag}+interfix+achternaam",
                        "skip": [".", "-"],
                        "pattern": [{"lookup": "interfix"}, {"like_name": True}],
                    },
                    {
                        "name": "naam_right",
                        "direction": "right",
                        "pre_tag": ["prefix", "initiaal", "naam", "voornaam", "interfix"],
                        "tag": "{tag}+naam",
                        "skip": ["-"],
                        "pattern": [
                            {
                                "and": [
                                    {"like_name": True},
                                    {"neg_lookup": "whitelist"},
                                    {"neg_lookup": "prefix"},
                                ]
                            }
                        ],
                    },
                ],
            },
        },
        "placename": {
            "annotator_type": "docdeid.process.MultiTokenLookupAnnotator",
            "group": "locations",
            "args": {"lookup_values": "placename", "overlapping": True, "tag": "locatie"},
        },
        "street_pattern": {
            "annotator_type": "deduce.annotator.TokenPatternAnnotator",
            "group": "locations",
            "args": {
                "pattern": [
                    {
                        "re_match": "[A-Z][a-z]+(baan|dijk|dreef|gracht|hof|kade|laan|markt"
                        "|plein|singel|steeg|straat|weg)$"
                    }
                ],
                "tag": "locatie",
                "priority": 1,
            },
        },
        "street_lookup": {
            "annotator_type": "docdeid.process.MultiTokenLookupAnnotator",
            "group": "locations",
            "args": {
                "lookup_values": "street",
                "overlapping": True,
                "tag": "locatie",
                "priority": 1,
            },
        },
    },
}

_DEDUCE_SOORT = {"persoon": "naam", "patient": "naam", "locatie": "plaats"}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _deduce() -> Any:
    """The deduce pipeline; built once per process (see warm_up)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import deduce  # noqa: PLC0415 - heavy; imported on first use only

    # deduce calls logging.basicConfig(level=DEBUG) on import: undo that, melder text
    # must never end up in a log.
    root.handlers, root.level = handlers, level
    DEDUCE_CACHE.mkdir(parents=True, exist_ok=True)
    model = deduce.Deduce(load_base_config=False, config=_DEDUCE_CONFIG, cache_path=DEDUCE_CACHE)
    _drop_unused_lookups(model.lookup_structs)
    return model


# Lookup lists this module reads itself (``_kleine_letter_namen``), besides the config's.
_OWN_LOOKUPS = frozenset({"first_name", "whitelist"})


def _lookups_in(node: Any) -> set[str]:
    """The lookup lists a deduce config names ("lookup", "neg_lookup", "lookup_values")."""
    if isinstance(node, dict):
        found = {
            value
            for key, value in node.items()
            if key in ("lookup", "neg_lookup", "lookup_values") and isinstance(value, str)
        }
        return found.union(*(_lookups_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_lookups_in(item) for item in node))
    return set()


def _drop_unused_lookups(lookups: Any) -> None:
    """deduce loads all of its lookup lists; the config uses 9 of 16. The others (medical
    terms, hospitals, healthcare institutions: 535 MiB alone) are let go: the action
    server's resident memory after the warm-up drops from about 1,160 to 620 MiB."""
    keep = _lookups_in(_DEDUCE_CONFIG) | _OWN_LOOKUPS
    for name in [name for name in lookups if name not in keep]:
        del lookups[name]
    gc.collect()


def warm_up() -> None:
    """Build deduce's lookup structures now (action-server start), not per message."""
    vind("Warm")


def _kleine_letter_namen(tekst: str) -> list[Vondst]:
    """A first name typed in lower case after a role ("mn tc ruud"): deduce's first-name
    list decides, its list of common words vetoes ("mijn oe heeft")."""
    lookup = _deduce().lookup_structs
    namen, gewoon = lookup["first_name"], lookup["whitelist"]
    vondsten = []
    for match in _klein_na_rol().finditer(tekst):
        woord = match.group(1)
        if woord in gewoon or woord in regels()["geen_naam"]:
            continue
        if namen.longest_matching_prefix([woord.title()]):
            vondsten.append(Vondst(match.start(1), match.end(1), woord, "naam"))
    return vondsten


@lru_cache(maxsize=1)
def _klein_na_rol() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alt(regels()['voor_naam'])})\s([a-zà-ÿ]{{3,}})\b")


def deduce_vondsten(tekst: str) -> list[Vondst]:
    with _lock:  # deduce's pipeline is not documented as thread-safe
        doc = _deduce().deidentify(tekst)
        vondsten = _kleine_letter_namen(tekst)
    for annotation in doc.annotations:
        soort = "plaats" if annotation.tag.startswith(("locatie", "straat")) else "naam"
        woorden = annotation.text.split()
        if soort == "plaats" and not all(w[0].isupper() for w in woorden if w not in ("de", "het")):
            continue  # deduce's place list holds common words too ("de wijk", "sloot")
        start = annotation.start_char + len(annotation.text) - len(annotation.text.lstrip())
        end = annotation.end_char - len(annotation.text) + len(annotation.text.rstrip())
        vondsten.append(Vondst(start, end, tekst[start:end], soort))
    return vondsten


# --- merging -------------------------------------------------------------------


def _normaal(woorden: str) -> str:
    return re.sub(r"[-']", " ", woorden).lower().strip()


def _geen_naam(vondst: Vondst, tekst: str) -> bool:
    """A finding that is a police term, a sentence word or the eenheid itself."""
    if vondst.soort not in ("naam", "plaats"):
        return False
    woorden = _normaal(vondst.tekst).split()
    if all(w in regels()["geen_naam"] for w in woorden):
        return True
    # The eenheid, also when only part of it was found ("Haag" of "Den Haag").
    vorige = tekst[: vondst.start].split()[-1:]
    return any(
        _normaal(" ".join([*voor, vondst.tekst])) in _eenheid_namen() for voor in ([], vorige)
    )


def _soort(vondst: Vondst) -> Vondst:
    """A known town found as a name ("Den Bosch") is a place."""
    if vondst.soort == "naam" and _normaal(vondst.tekst) in _plaatsnamen():
        return Vondst(vondst.start, vondst.end, vondst.tekst, "plaats")
    return vondst


def samenvoegen(vondsten: list[Vondst], tekst: str) -> list[Vondst]:
    """Overlapping findings become one: the widest span, the strongest kind."""
    gesorteerd = sorted(
        (_soort(v) for v in vondsten if not _geen_naam(v, tekst)),
        key=lambda v: (v.start, -(v.end - v.start), _VOORRANG[v.soort]),
    )
    resultaat: list[Vondst] = []
    for vondst in gesorteerd:
        # "Peter van" + "Dijk": a name followed straight by a name or place is one name.
        aansluitend = (
            resultaat
            and resultaat[-1].soort == "naam"
            and vondst.soort in ("naam", "plaats")
            and not tekst[resultaat[-1].end : vondst.start].strip()
        )
        if aansluitend:
            vorige = resultaat[-1]
            end = max(vorige.end, vondst.end)
            resultaat[-1] = Vondst(vorige.start, end, tekst[vorige.start : end], "naam")
        elif resultaat and vondst.start < resultaat[-1].end:
            vorige = resultaat[-1]
            breder = (vondst.end - vondst.start) > (vorige.end - vorige.start)
            soort = vondst.soort if breder else vorige.soort
            if _VOORRANG[vondst.soort] < _VOORRANG[soort] and vondst.soort != "naam":
                soort = vondst.soort
            start, end = vorige.start, max(vorige.end, vondst.end)
            resultaat[-1] = Vondst(start, end, tekst[start:end], soort)
        else:
            resultaat.append(vondst)
    return resultaat


def vind(tekst: str, met_deduce: bool = True) -> list[Vondst]:
    """Everything in ``tekst`` that may identify the melder or others, in text order."""
    if not tekst or not tekst.strip():
        return []
    vondsten = eigen_regels(tekst)
    if met_deduce:
        vondsten.extend(deduce_vondsten(tekst))
    return samenvoegen(vondsten, tekst)


def vervang(tekst: str, vondsten: list[Vondst], vervangen: set[int]) -> str:
    """``tekst`` with findings number ``vervangen`` (indexes) replaced by their placeholder."""
    for index in sorted(vervangen, key=lambda i: vondsten[i].start, reverse=True):
        vondst = vondsten[index]
        tekst = tekst[: vondst.start] + vondst.plaatshouder + tekst[vondst.end :]
    return tekst


if __name__ == "__main__":
    warm_up()
