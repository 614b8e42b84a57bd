"""Take the facts a melder already told in their story (issue 11 point 1).

A small, conservative extractor: it reads a free-text story (Dutch, often chat style
with typos and abbreviations) and returns only what it is SURE of. A wrong slot is
worse than asking the question, so every rule prefers ``None`` when in doubt: two
different eenheden, two kinds of "other", a hypothetical melding or a duration in a
sentence about someone's career all give ``None``.

Word lists and patterns live in ``story_facts.yml``; places in ``plaatsen.yml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PATTERNS_FILE = HERE / "story_facts.yml"
PLACES_FILE = HERE / "plaatsen.yml"

# Contractions handled before apostrophes become spaces ("m'n" -> "mijn").
CONTRACTIONS: tuple[tuple[str, str], ...] = (
    (r"\bm'n\b", "mijn"),
    (r"\bz'n\b", "zijn"),
    (r"\bd'r\b", "haar"),
    (r"(?<!\w)'k\b", "ik"),
    (r"(?<!\w)'t\b", "het"),
    (r"(?<!\w)'n\b", "een"),
    (r"\b(\w+)'s\b", r"\1s"),  # collega's -> collegas, tc's -> tcs
)
PUNCTUATION = ".,!?;:"


@dataclass(frozen=True)
class StoryFacts:
    """Facts taken from a story; ``None`` means: not sure, ask the question."""

    eenheid: str | None = None
    rol_melder: str | None = None
    rol_ander: str | None = None
    sinds_wanneer: str | None = None
    eerder_gemeld: str | None = None
    evidence: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "eenheid": self.eenheid,
            "rol_melder": self.rol_melder,
            "rol_ander": self.rol_ander,
            "sinds_wanneer": self.sinds_wanneer,
            "eerder_gemeld": self.eerder_gemeld,
        }


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a pattern from the YAML, with {NAME} parts filled in."""
    parts: dict[str, str] = _config()["delen"]
    for name, part in parts.items():
        pattern = pattern.replace("{" + name + "}", part)
    return re.compile(pattern)


def normalize(text: str) -> str:
    """Lower case, no accents, abbreviations written out, punctuation as separate words."""
    lowered = unicodedata.normalize("NFKD", text.lower())
    lowered = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    lowered = re.sub(r"[\u2018\u2019`\u00b4]", "'", lowered)
    for pattern, replacement in CONTRACTIONS:
        lowered = re.sub(pattern, replacement, lowered)
    lowered = re.sub(r"[^a-z0-9.,!?;:]+", " ", lowered)
    lowered = re.sub(r"\s*([.,!?;:]+)\s*", r" \1 ", lowered)
    short: dict[str, str] = _config()["afkortingen"]
    lowered = re.sub(r"[a-z0-9]+", lambda m: short.get(m.group(0), m.group(0)), lowered)
    return re.sub(r"\s+", " ", lowered).strip()


def _clause(text: str, pos: int, small: bool = False) -> str:
    """The part of the text around ``pos`` between punctuation (and, when ``small``,
    also between conjunctions such as "maar" and "en")."""
    marks = [*PUNCTUATION, *((" maar ", " en ", " want ", " omdat ") if small else ())]
    start = max(text.rfind(p, 0, pos) for p in marks) + 1
    ends = [i for i in (text.find(p, pos) for p in marks) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _first(patterns: Iterable[str], text: str) -> str | None:
    for pattern in patterns:
        match = _rx(pattern).search(text)
        if match:
            return match.group(0).strip()
    return None


# --- eenheid -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _places() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    table: dict[str, str] = {**data.get("plaatsen", {}), **data.get("eenheden", {})}
    after: dict[str, str] = data.get("alleen_na_voorzetsel", {})

    def alternation(keys: Iterable[str]) -> re.Pattern[str]:
        ordered = sorted(keys, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in ordered) + r")\b")

    return {
        "table": table,
        "rx": alternation(table),
        "after": after,
        "after_rx": alternation(after),
        "caps": data.get("hoofdletters", {}),
        "not_training": set(data.get("niet_bij_opleiding", [])),
    }


def _eenheid(text: str, original: str) -> tuple[str | None, str]:
    places = _places()
    conf = _config()["eenheid"]
    not_work = _rx(conf["niet_werkplek"])
    training = _rx(conf["opleiding"]).search(text) is not None
    found: dict[str, str] = {}

    def add(code: str, word: str, pos: int) -> None:
        if _rx(conf["niet_voor_plaats"]).search(text[:pos]):
            return
        if not not_work.search(_clause(text, pos, small=True)):
            found.setdefault(code, word)

    for match in places["rx"].finditer(text):
        word = match.group(0)
        if not (training and word in places["not_training"]):
            add(places["table"][word], word, match.start())
    for match in places["after_rx"].finditer(text):
        if _rx(conf["na_voorzetsel"]).search(text[: match.start()][-30:]):
            add(places["after"][match.group(0)], match.group(0), match.start())
    letters = [ch for ch in original if ch.isalpha()]
    shouting = bool(letters) and sum(ch.isupper() for ch in letters) > len(letters) / 2
    if not shouting:
        for abbreviation, code in places["caps"].items():
            if re.search(r"\b" + re.escape(abbreviation) + r"\b", original):
                found.setdefault(code, abbreviation)
    if len(found) == 1:
        code, word = next(iter(found.items()))
        return code, word
    return None, ""


def _harm(clause: str) -> bool:
    """Does this part of the story say something hurtful happened?"""
    victim = _config()["rol_melder"]["betrokkene"]
    return bool(_rx(_config()["schade"]).search(clause) or _first(victim, clause))


# --- rol_melder ----------------------------------------------------------------------


def _rol_melder(text: str) -> tuple[str | None, str]:
    conf = _config()["rol_melder"]
    cues = {name: _first(conf[name], text) for name in conf}
    aspirant, victim, seen = cues["aspirant"], cues["betrokkene"], cues["omstander"]
    leader_self, signal = cues["leidinggevende_zelf"], cues["leidinggevende_signaal"]
    if aspirant:
        if leader_self or signal or (seen and not victim):
            return None, ""
        return "aspirant", aspirant
    if signal:
        return (None, "") if victim else ("leidinggevende", signal)
    if leader_self and not victim:
        return "leidinggevende", leader_self
    if seen:
        return (None, "") if victim else ("omstander", seen)
    if victim and not _rx(_config()["eenheid"]["opleiding"]).search(text):
        return "betrokkene", victim
    return None, ""


# --- rol_ander -----------------------------------------------------------------------


def _kind(value: str, rol_melder: str | None) -> str | None:
    """'de teamchef' is only clearly another leader when the melder is a bystander."""
    if value == "de_leidinggevende":
        return "andere_leidinggevende" if rol_melder == "omstander" else None
    return value


def _mentions(text: str) -> Iterator[tuple[int, int, str]]:
    """Persons named in the text, (start, end, kind), the first fitting kind per span."""
    taken: list[tuple[int, int]] = []
    for value, pattern in _config()["rol_ander"]["vormen"]:
        for match in _rx(pattern).finditer(text):
            start, end = match.start(), match.end()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            yield start, end, value


def _agent_after_door(text: str) -> list[tuple[str, str]]:
    """'... wordt door de teamchef uitgescholden': who comes after 'door'."""
    agents = []
    for match in re.finditer(r"\bdoor ", text):
        rest = re.split(r"[.,!?;:]", text[match.end() :], maxsplit=1)[0]
        for value, pattern in _config()["rol_ander"]["vormen"]:
            found = _rx(pattern).match(rest)
            if found:
                agents.append((value, found.group(0).strip()))
                break
    return agents


def _rol_ander(text: str, rol_melder: str | None) -> tuple[str | None, str]:
    conf = _config()["rol_ander"]
    agents = _agent_after_door(text)
    if not agents:
        for start, end, value in _mentions(text):
            before = text[:start].rstrip()
            chef = value in ("eigen_leidinggevende", "andere_leidinggevende", "de_leidinggevende")
            if _rx(conf["niet_dader_voor_chef" if chef else "niet_dader_voor"]).search(before):
                continue
            after, clause = text[end:], _clause(text, start)
            if _rx(conf["niet_dader_na"]).match(after):
                continue
            if not chef and _rx(conf["boodschapper_na"]).match(after):
                continue
            if _rx(conf["melden_zin"]).search(_clause(text, start, small=True)):
                continue
            if _rx(conf["lijdend_zin"]).search(clause) or not _harm(clause):
                continue
            agents.append((value, text[start:end].strip()))
    kinds = {(_kind(value, rol_melder), words) for value, words in agents}
    values = {value for value, _ in kinds}
    if len(values) == 1 and None not in values:
        kind, words = next(iter(kinds))
        return kind, words
    return None, ""


# --- sinds_wanneer -------------------------------------------------------------------


def _sinds_wanneer(text: str) -> tuple[str | None, str]:
    conf = _config()["sinds_wanneer"]
    not_here = _rx(conf["niet_in_zin"])
    durations: dict[str, str] = {}
    for value, pattern in conf["duur"]:
        for match in _rx(pattern).finditer(text):
            if not not_here.search(_clause(text, match.start(), small=True)):
                durations.setdefault(value, match.group(0))
    if len(durations) == 1:
        value, words = next(iter(durations.items()))
        return value, words
    if durations:
        return None, ""
    if _rx(conf["herhaling"]).search(text) or _rx(conf["niet_eenmalig"]).search(text):
        return None, ""
    for pattern in conf["eenmalig"]:
        for match in _rx(pattern).finditer(text):
            clause = _clause(text, match.start())
            if _rx(conf["niet_eenmalig_zin"]).search(clause):
                continue
            if _harm(clause) or _rx(conf["voorval"]).search(clause):
                return "eenmalig", match.group(0)
    return None, ""


# --- eerder_gemeld -------------------------------------------------------------------


def _eerder_gemeld(text: str) -> tuple[str | None, str]:
    conf = _config()["eerder_gemeld"]
    reported = ""
    denied = _first(conf["nee"], text) or ""
    for pattern in conf["gemeld"]:
        for match in _rx(pattern).finditer(text):
            words = match.group(0)
            before = " ".join(text[: match.start()].split()[-3:])
            if _rx(conf["hypothese"]).search(before) or re.search(r"\b(?:maar|ziek)\b", words):
                continue
            if _rx(conf["ontkenning"]).search(words):
                denied = denied or words
            else:
                reported = reported or words
    talking = _rx(conf["lopend_zonder_melding"]).search(text)
    if talking:
        reported = reported or talking.group(0)
    if denied:
        return (None, "") if reported else ("nee", denied)
    if not reported:
        return None, ""
    outcomes: dict[str, str] = {}
    for value, pattern in conf["uitkomst"]:
        outcome = _rx(pattern).search(text)
        if outcome:
            outcomes[value] = outcome.group(0)
    if not outcomes and talking:
        return "ja_lopend", talking.group(0)
    if len(outcomes) == 1:
        value, words = next(iter(outcomes.items()))
        return value, f"{reported} ... {words}"
    return None, ""


# --- public --------------------------------------------------------------------------


def extract_facts(text: str) -> StoryFacts:
    """The facts the story states clearly; every unclear slot stays ``None``."""
    if not text or not text.strip():
        return StoryFacts()
    norm = normalize(text)
    found: dict[str, tuple[str | None, str]] = {
        "eenheid": _eenheid(norm, text),
        "rol_melder": _rol_melder(norm),
        "sinds_wanneer": _sinds_wanneer(norm),
        "eerder_gemeld": _eerder_gemeld(norm),
    }
    found["rol_ander"] = _rol_ander(norm, found["rol_melder"][0])
    evidence = {slot: words for slot, (value, words) in found.items() if value}
    return StoryFacts(
        eenheid=found["eenheid"][0],
        rol_melder=found["rol_melder"][0],
        rol_ander=found["rol_ander"][0],
        sinds_wanneer=found["sinds_wanneer"][0],
        eerder_gemeld=found["eerder_gemeld"][0],
        evidence=evidence,
    )
