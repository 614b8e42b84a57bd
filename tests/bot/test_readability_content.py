"""Every routeboekje text and every page sentence reads at B1 level (Flesch-Douma, Dutch).

The sibling of test_readability.py (the bot's own texts), for the texts issue #12
gave to the content work: every text field of backend/data/routeboekje.yaml
(loketten, situations, wensen, rollen, eenheid rules, teksten) and every sentence
of backend/pages/teksten.yml. Each text must score at least 60 and the mean at
least 75; the lowest ten are printed. Texts under five words are left out (a
reading-ease formula says nothing about them); contact details and source
references are not prose and are not scored. A situation's `label` is a button
title (one noun phrase, no sentence), so it is not scored either; instead it must
stay short (at most 16 words).
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

import pytest
import textstat
import yaml

ROOT = Path(__file__).resolve().parents[2]
MIN_EACH = 60.0
MIN_MEAN = 75.0
MIN_WORDS = 5
LOKET_VELDEN = ("wat_doet", "wanneer", "wat_gebeurt_er", "waarom", "anoniem_uitleg")


def reading_ease(text: str) -> float:
    textstat.set_lang("nl")
    plain = re.sub(r"\{[a-z_]+\}", "X", text.replace("*", ""))  # placeholder = one short word
    return float(textstat.flesch_reading_ease(plain))


def routeboekje_texts() -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "backend" / "data" / "routeboekje.yaml").read_text(encoding="utf-8")
    )
    texts: dict[str, str] = {}
    for code, loket in data["loketten"].items():
        for veld in LOKET_VELDEN:
            texts[f"loketten.{code}.{veld}"] = loket[veld]
    for code, cat in data["categorieen"].items():
        for loket, zin in (cat.get("waarom") or {}).items():
            texts[f"categorieen.{code}.waarom.{loket}"] = zin
    for soort in ("wensen", "rollen"):
        for code, regel in data[soort].items():
            if regel.get("tekst"):
                texts[f"{soort}.{code}.tekst"] = regel["tekst"]
    for eenheid, regel in (data.get("eenheid_regels") or {}).items():
        texts[f"eenheid_regels.{eenheid}.toelichting"] = regel["toelichting"]
    for key, zin in data["teksten"].items():
        if key != "bronnen":
            texts[f"teksten.{key}"] = zin
    return {key: " ".join(str(text).split()) for key, text in texts.items()}


def page_texts() -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "backend" / "pages" / "teksten.yml").read_text(encoding="utf-8")
    )
    return {
        f"teksten.yml:{pagina}.{sleutel}": " ".join(str(entry["tekst"]).split())
        for pagina, entries in data.items()
        for sleutel, entry in entries.items()
    }


def scored(texts: dict[str, str]) -> dict[str, float]:
    return {
        key: reading_ease(text)
        for key, text in texts.items()
        if len(re.findall(r"\w+", text)) >= MIN_WORDS
    }


@pytest.mark.parametrize(
    ("name", "texts", "at_least"),
    [("routeboekje", routeboekje_texts, 100), ("pages", page_texts, 30)],
)
def test_every_content_text_is_easy_to_read(name: str, texts: Any, at_least: int) -> None:
    scores = scored(texts())
    lowest = sorted(scores.items(), key=lambda kv: kv[1])[:10]
    print(f"\n{name}, lowest ten:\n" + "\n".join(f"{s:6.1f}  {k}" for k, s in lowest))
    mean = statistics.mean(scores.values())
    print(f"{name}: {len(scores)} texts, mean {mean:.1f}")
    assert len(scores) >= at_least
    assert [key for key, score in scores.items() if score < MIN_EACH] == []
    assert mean >= MIN_MEAN


def test_situation_labels_are_short() -> None:
    data = yaml.safe_load((ROOT / "backend/data/routeboekje.yaml").read_text(encoding="utf-8"))
    long = {
        code: len(re.findall(r"\w+", cat["label"]))
        for code, cat in data["categorieen"].items()
        if len(re.findall(r"\w+", cat["label"])) > 16
    }
    assert long == {}


def test_jargon_is_explained_or_avoided() -> None:
    """Abbreviations a new colleague may not know are not used bare in these texts."""
    texts = {**routeboekje_texts(), **page_texts()}
    bare = {
        key: word
        for key, text in texts.items()
        for word in ("TCO", "UDR", "buddy", "psychopol", "triage", "lokets")
        if re.search(rf"\b{word}\b", text)
        and not (word == "triage" and "Dat heet triage" in text)
        and not (word == "psychopol" and "Dat is zorg" in text)
    }
    assert bare == {}


def test_the_check_can_fail() -> None:
    hard = "Bedrijfsmaatschappelijkwerkgerelateerde ondersteuningsmogelijkheden zijn beschikbaar."
    assert reading_ease(hard) < MIN_EACH <= reading_ease("Je kunt altijd met iemand praten.")
