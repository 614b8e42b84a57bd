"""The privacy check finds what may give a melder away, and only that (issue 15.2)."""

from __future__ import annotations

import pytest

from actions import privacy_check
from actions.privacy_check import Vondst, vervang, vind
from actions.privacy_eval import evalueer, parse


def _gevonden(tekst: str) -> dict[str, str]:
    return {v.tekst: v.soort for v in vind(tekst)}


@pytest.mark.parametrize(
    ("tekst", "woorden", "soort"),
    [
        ("Gisteren zei Peter van Dijk dat ik moest oprotten.", "Peter van Dijk", "naam"),
        ("Brigadier De Vries lacht me uit.", "De Vries", "naam"),
        ("mn tc ruud doet raar tegen me", "ruud", "naam"),
        ("Het was op 3 maart 2024 in de kantine.", "3 maart 2024", "datum"),
        ("Op 12-04-2024 kreeg ik een waarschuwing.", "12-04-2024", "datum"),
        ("Hij belde om 22:00 uur naar huis.", "22:00 uur", "tijd"),
        ("Ik werk in Zwolle en het is er onveilig.", "Zwolle", "plaats"),
        ("Het gebeurde op het bureau Leeuwarden.", "bureau Leeuwarden", "plaats"),
        ("ik werk in zwolle en het is daar echt niet leuk", "zwolle", "plaats"),
        ("Ik werk bij basisteam Zaanstreek-Noord.", "basisteam Zaanstreek-Noord", "team"),
        ("Bel me op 06-12345678 na mijn dienst.", "06-12345678", "telefoon"),
        ("Of op +31 6 87654321 als dat beter is.", "+31 6 87654321", "telefoon"),
        ("Mijn personeelsnummer is 1234567.", "1234567", "nummer"),
        ("De BVH-registratie PL0900-2023145678 klopt niet.", "PL0900-2023145678", "nummer"),
        ("Mijn roepnummer is 17-231 op de porto.", "17-231", "nummer"),
        ("Mail naar r.jansen@politie.nl en niet naar mij.", "r.jansen@politie.nl", "email"),
        ("Ik ben de enige vrouw in de ploeg.", "de enige vrouw in de ploeg", "kenmerk"),
        ("Ze weten het: ik ben de oudste van het team.", "de oudste van het team", "kenmerk"),
    ],
)
def test_every_kind_is_found(tekst: str, woorden: str, soort: str) -> None:
    assert _gevonden(tekst).get(woorden) == soort, vind(tekst)


@pytest.mark.parametrize(
    "tekst",
    [
        "Mijn leidinggevende scheldt me uit waar anderen bij zijn.",
        "De OE zegt elke dienst dat vrouwen niet in de noodhulp horen.",
        "Ik werk al twintig jaar bij de politie. Zo erg heb ik het nog nooit meegemaakt.",
        "Gisteren in de briefing lachten ze me uit. Vorige week ook al.",
        "Ik werk bij de eenheid Oost-Nederland en mijn teamchef pest me.",
        "Mijn OE heeft mij op straat voor schut gezet.",
        "Een collega van Turkse afkomst wordt steeds uitgescholden.",
        "In Den Haag op het werk gaat het al maanden mis.",
        "Dat kan leiden tot ruzie, zegt mijn leidinggevende.",
    ],
)
def test_roles_and_the_eenheid_are_not_flagged(tekst: str) -> None:
    assert vind(tekst) == []


def test_an_empty_story_has_nothing() -> None:
    assert vind("") == [] == vind("   ")


def test_replacing_keeps_the_rest_of_the_story() -> None:
    tekst = "Op 3 maart zei Peter van Dijk dat ik moest bellen naar 06-12345678."
    vondsten = vind(tekst)
    assert [v.soort for v in vondsten] == ["datum", "naam", "telefoon"]
    assert vervang(tekst, vondsten, {0, 1, 2}) == (
        "Op [datum] zei [naam] dat ik moest bellen naar [telefoonnummer]."
    )
    assert vervang(tekst, vondsten, {1}) == (
        "Op 3 maart zei [naam] dat ik moest bellen naar 06-12345678."
    )
    assert vervang(tekst, vondsten, set()) == tekst


def test_replacing_handles_findings_in_any_order() -> None:
    tekst = "Sanne en Mark"
    vondsten = [Vondst(9, 13, "Mark", "naam"), Vondst(0, 5, "Sanne", "naam")]
    assert vervang(tekst, vondsten, {0, 1}) == "[naam] en [naam]"


def test_the_evaluation_reads_planted_identifiers() -> None:
    verhaal = parse("Op {datum:3 maart} zei {naam:Jan} het.")
    assert verhaal.tekst == "Op 3 maart zei Jan het."
    assert [verhaal.tekst[s:e] for s, e, _ in verhaal.labels] == ["3 maart", "Jan"]


@pytest.mark.parametrize("set_naam", ["afstemmen", "apart"])
def test_recall_and_false_alarms_stay_within_the_target(set_naam: str) -> None:
    """docs/privacy-check.md: recall >= 0.95, at most one false alarm per story. The
    guard keeps a margin below the measured figures (0.98 / 1.00 and 0.02 / 0.00)."""
    uitslag = evalueer(set_naam)
    assert uitslag.verhalen >= (100 if set_naam == "afstemmen" else 30)
    assert uitslag.recall >= 0.96, uitslag.missers
    assert uitslag.vals_per_verhaal <= 0.25, uitslag.valse


def test_only_the_lookup_lists_in_use_stay_in_memory() -> None:
    """deduce loads 16 lookup lists; the check uses 9. The rest (healthcare institutions
    alone 535 MiB) must not stay resident in every action server."""
    vind("Warm")
    kept = set(privacy_check._deduce().lookup_structs)
    assert kept == {
        "first_name", "surname", "initial", "interfix", "interfix_surname", "prefix",
        "whitelist", "placename", "street",
    }  # fmt: skip
    # Names, streets and places are still found with the lists that remain.
    found = {v.soort for v in vind("Jan de Vries woont aan de Kalverstraat in Zwolle.")}
    assert {"naam", "plaats"} <= found
