"""Listen, then ask only what is missing (issue 11), against the real model and actions.

Twenty openings that state facts (eenheid, who the melder is, who the other is, how
long, reported before) are walked to the advice by always taking the first answer
offered. For each: no stated fact is asked again, none is filled wrongly, the story
is never asked twice, and the advice turn stays short. The figures (median bot turns
from the story to the advice, words in the advice turn) are printed for the report.
"""

from __future__ import annotations

import json
import re
import statistics
from typing import Any

import httpx
import pytest

from tests.integration.conftest import Melder, RunningSystem

pytestmark = pytest.mark.e2e

# (opening, the facts it states)
OPENINGS: list[tuple[str, dict[str, str]]] = [
    (
        "Ik ben aspirant bij de politieacademie en mijn praktijkbegeleider maakt steeds "
        "opmerkingen over mijn lichaam, hij beoordeelt mij ook",
        {"eenheid": "politieacademie", "rol_melder": "aspirant", "rol_ander": "begeleider"},
    ),
    (
        "ik werk bij de noodhulp in rotterdam en een collega noemt mij steeds de bruine als grap",
        {"eenheid": "rotterdam", "rol_ander": "collega"},
    ),
    (
        "mijn eigen teamchef schreeuwt me uit waar iedereen bij is, al maanden, ik werk in Zwolle",
        {"eenheid": "oost-nederland", "rol_ander": "eigen_leidinggevende"},
    ),
    (
        "Ik ben teamchef in Limburg en een medewerker vertelde me dat ze buitengesloten wordt "
        "door haar ploeg. Wat moet ik nu doen?",
        {"eenheid": "limburg", "rol_melder": "leidinggevende"},
    ),
    (
        "Ik zag in Amsterdam dat een collega het adres van zijn ex opzocht in de systemen, "
        "moet ik hier iets mee?",
        {"eenheid": "amsterdam", "rol_melder": "omstander"},
    ),
    (
        "In Den Haag krijg ik al weken de slechtste diensten sinds ik iets heb gemeld over mijn "
        "leidinggevende",
        {"eenheid": "den-haag"},
    ),
    (
        "ik heb vorig jaar bij vik in Eindhoven gemeld dat ik gepest werd maar er is nooit iets "
        "mee gedaan",
        {"eenheid": "oost-brabant", "eerder_gemeld": "ja_geen_reactie"},
    ),
    (
        "Op de meldkamer in Utrecht maken collega's seksistische grappen over vrouwen, ik ben "
        "aspirant en durf niks te zeggen",
        {"eenheid": "midden-nederland", "rol_melder": "aspirant"},
    ),
    (
        "Als leidinggevende bij de landelijke eenheid kreeg ik een signaal dat een medewerker "
        "racistische plaatjes deelt in de groepsapp",
        {"eenheid": "landelijke-eenheid", "rol_melder": "leidinggevende"},
    ),
    (
        "Mijn OE in Groningen dreigt dat ik mijn contract kwijtraak als ik niet meer uren draai",
        {"eenheid": "noord-nederland", "rol_ander": "eigen_leidinggevende"},
    ),
    (
        "In Breda duwde een collega me gisteren hard tegen de muur in de kleedkamer",
        {"eenheid": "zeeland-west-brabant", "rol_ander": "collega"},
    ),
    (
        "Ik werk in Haarlem en mijn medische gegevens zijn door mijn leidinggevende met het "
        "hele team gedeeld",
        {"eenheid": "noord-holland", "rol_ander": "eigen_leidinggevende"},
    ),
    (
        "na de schietpartij in Rotterdam vorige week kan ik niet meer slapen en zie ik steeds "
        "de beelden",
        {"eenheid": "rotterdam"},
    ),
    (
        "Ik ben aspirant in Maastricht en mijn docent geeft mij een slechte beoordeling als ik "
        "niet met hem uitga",
        {"eenheid": "limburg", "rol_melder": "aspirant", "rol_ander": "begeleider"},
    ),
    (
        "Ik zag bij het PDC dat mijn collega door de hele ploeg wordt uitgelachen, al maanden",
        {"eenheid": "pdc", "rol_melder": "omstander"},
    ),
    (
        "bij de staf korpsleiding worden mijn afspraken over re-integratie al een jaar niet "
        "nagekomen door HR",
        {"eenheid": "staf-korpsleiding"},
    ),
    (
        "In Tilburg hebben criminelen mijn adres en foto's van mijn kinderen online gezet",
        {"eenheid": "zeeland-west-brabant"},
    ),
    (
        "Ik ben teamchef in Arnhem. In mijn team zijn kampjes ontstaan en niemand durft nog iets "
        "te zeggen. Wat kan ik doen?",
        {"eenheid": "oost-nederland", "rol_melder": "leidinggevende"},
    ),
    (
        "Ik werk in Almere en een collega zit steeds aan me en stuurt me seksueel getinte appjes",
        {"eenheid": "midden-nederland", "rol_ander": "collega"},
    ),
    (
        "Mijn teamchef in Den Bosch lacht mijn collega uit om haar hoofddoek, ik zag het "
        "gebeuren bij de briefing",
        {"eenheid": "oost-brabant", "rol_melder": "omstander"},
    ),
]


def asked_slot(melder: Melder) -> str | None:
    for payload in melder.buttons:
        if payload.startswith("/inform{"):
            return str(next(iter(json.loads(payload[len("/inform") :]))))
    return None


def slots(running: RunningSystem, melder: Melder) -> dict[str, Any]:
    url = running.config.rasa_api(f"/conversations/{melder.sender}/tracker")
    return dict(httpx.get(url, timeout=30).json()["slots"])


def advice_words(melder: Melder) -> int:
    return len(re.findall(r"\w+", melder.text))


@pytest.mark.parametrize("opening,stated", OPENINGS, ids=[o[:40] for o, _ in OPENINGS])
def test_stated_facts_are_not_asked_again(
    running: RunningSystem, opening: str, stated: dict[str, str]
) -> None:
    melder = Melder(running.config.rasa_url)
    melder.say(opening)
    turns = 1
    assert "Dank je dat je dit vertelt" in melder.text
    filled = slots(running, melder)
    for slot, value in stated.items():
        assert filled.get(slot) == value, (slot, filled.get(slot), melder.text)
    melder.confirm_situation()
    turns += 1
    asked: list[str] = []
    while "/kies_loket" not in " ".join(melder.buttons):
        slot = asked_slot(melder)
        assert slot, melder.text
        assert slot not in stated, f"{slot} asked again after: {opening}"
        assert "eigen woorden" not in melder.text  # the story is never asked twice
        asked.append(slot)
        melder.click(f'"{slot}"')
        turns += 1
        assert turns < 10, asked
    assert advice_words(melder) <= 150, melder.text
    RESULTS.append((turns, advice_words(melder)))
    print(f"\n{turns} turns, asked {asked}: {opening[:60]}")


RESULTS: list[tuple[int, int]] = []


def test_zz_report_turns_and_words() -> None:
    """Prints the figures of the walks above (runs after them, by name)."""
    if not RESULTS:
        pytest.skip("no walks ran")
    turns = [t for t, _ in RESULTS]
    words = [w for _, w in RESULTS]
    print(
        f"\nopenings: {len(RESULTS)}; bot turns story->advice median {statistics.median(turns)} "
        f"(min {min(turns)}, max {max(turns)}); advice words max {max(words)}"
    )
    assert statistics.median(turns) <= 4
