"""termijnen.yaml and an operator's override: loaded and validated with the routeboekje."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.content.sources import parse_all
from backend.routing.codes import DIGITALE_LOKETTEN
from backend.routing.routeboekje import RouteboekjeError, load_routeboekje
from tests.backend.conftest import AFSPRAKEN


def test_defaults_wet_for_the_meldpunt_misstanden_geen_for_all_others() -> None:
    boek = load_routeboekje()
    soorten = {code: boek.termijn_regel(code).soort for code in DIGITALE_LOKETTEN}
    assert soorten.pop("meldpunt_misstanden") == "wet"
    assert set(soorten.values()) == {"geen"}
    assert boek.termijn_regel("leidinggevende").soort == "geen"  # not digital: no term
    for code in DIGITALE_LOKETTEN:
        assert parse_all(list(boek.termijn_regel(code).bronnen))
    assert any(
        b.startswith("wet:Richtlijn (EU) 2019/1937")
        for b in boek.termijn_regel("meldpunt_misstanden").bronnen
    )


def test_an_override_sets_afspraken() -> None:
    boek = load_routeboekje(termijnen_override=AFSPRAKEN)
    vik = boek.termijn_regel("vik")
    assert (vik.soort, vik.bevestigen_dagen, vik.terugkoppeling_dagen) == ("afspraak", 5, 42)
    assert boek.termijn_regel("meldpunt_misstanden").soort == "wet"


def test_the_demo_afspraak_of_make_run_is_valid() -> None:
    demo = Path(__file__).resolve().parents[3] / "scripts" / "demo_termijnen.yaml"
    boek = load_routeboekje(termijnen_override=demo)
    assert boek.termijn_regel("vik").soort == "afspraak"
    assert any("demo" in b.lower() for b in boek.termijn_regel("vik").bronnen)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "meldpunt_misstanden:\n  soort: geen\n  bronnen: ['ontwerpkeuze:x']",
            "must be 'wet'",
        ),
        ("vik:\n  soort: wet\n  bronnen: ['wet:x']", "klokkenluidersregeling"),
        ("vik:\n  soort: afspraak\n  bronnen: ['ontwerpkeuze:x']", "needs bevestigen_dagen"),
        (
            "vik:\n  soort: afspraak\n  bevestigen_dagen: 5\n  bronnen: ['wet:Awb']",
            "needs an ontwerpkeuze: source",
        ),
        ("vik:\n  soort: afspraak\n  bevestigen_dagen: 5\n  bronnen: ['zomaar']", "expected seed"),
        ("vik:\n  soort: geen\n  bevestigen_dagen: 5\n  bronnen: ['ontwerpkeuze:x']", "no days"),
        ("hr_adviseur:\n  soort: geen\n  bronnen: ['ontwerpkeuze:x']", "receives no meldingen"),
        ("kantine:\n  soort: geen\n  bronnen: ['ontwerpkeuze:x']", "loketten.kantine"),
        ("vik:\n  soort: altijd\n  bronnen: ['ontwerpkeuze:x']", "loketten.vik.soort"),
    ],
)
def test_override_problems_name_the_file_and_the_key(
    tmp_path: Path, entry: str, problem: str
) -> None:
    override = tmp_path / "afspraken.yaml"
    override.write_text("loketten:\n" + "\n".join("  " + line for line in entry.splitlines()))
    with pytest.raises(RouteboekjeError) as info:
        load_routeboekje(termijnen_override=override)
    assert str(override) in str(info.value) and problem in str(info.value)
