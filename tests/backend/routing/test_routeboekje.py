"""Loading and validating backend/data/routeboekje.yaml."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backend.routing.codes import (
    CATEGORIE_GROEP,
    CATEGORIEEN,
    DIGITALE_LOKETTEN,
    EENHEDEN,
    GROEPEN,
    LANDELIJKE_LOKETTEN,
    LOKETTEN,
)
from backend.routing.routeboekje import (
    DEFAULT_PATH,
    Routeboekje,
    RouteboekjeError,
    default_routeboekje,
    load_routeboekje,
)

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _schrijf(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "routeboekje.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fout(tmp_path: Path, wijzig: Callable[[dict[str, Any]], None]) -> str:
    data = copy.deepcopy(RAW)
    wijzig(data)
    path = _schrijf(tmp_path, data)
    with pytest.raises(RouteboekjeError) as info:
        load_routeboekje(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_standaard_routeboekje_is_compleet() -> None:
    boek = load_routeboekje()
    assert tuple(boek.loketten) == LOKETTEN
    assert tuple(boek.categorieen) == CATEGORIEEN
    assert tuple(boek.eenheden) == EENHEDEN
    assert set(boek.groepen) == set(GROEPEN)
    for cat_code, cat in boek.categorieen.items():
        assert cat.groep == CATEGORIE_GROEP[cat_code]
        assert len(cat.route) >= 3
        assert set(cat.route) <= set(LOKETTEN)
    for code, loket in boek.loketten.items():
        assert loket.ontvangt_digitaal == (code in DIGITALE_LOKETTEN)
        assert loket.niveau == "landelijk" or code not in LANDELIJKE_LOKETTEN
    assert boek.eenheden["pdc"] == "Politiedienstencentrum (PDC)"
    assert boek.eenheden["den-haag"] == "Den Haag"


def test_anonimiteit_eerlijk() -> None:
    boek = default_routeboekje()
    assert boek.loket("klachtencommissie").anoniem_mogelijk is False
    anoniem = ("vertrouwenspersoon", "vik", "meldpunt_misstanden", "ombudsfunctionaris")
    for code in (*anoniem, "udr_kernteam"):
        assert boek.loket(code).anoniem_mogelijk is True
    assert all(loket.anoniem_uitleg for loket in boek.loketten.values())


def test_default_is_gecached() -> None:
    assert default_routeboekje() is default_routeboekje()


def test_helpers() -> None:
    boek = default_routeboekje()
    assert boek.loket("vik").onderzoekt is True
    assert boek.categorie("pesten").groep == "omgang"
    with pytest.raises(KeyError, match="onbekend|unknown"):
        boek.loket("bestaat_niet")
    with pytest.raises(KeyError, match="unknown"):
        boek.categorie("bestaat_niet")


def test_contact_placeholder_ingevuld() -> None:
    boek = default_routeboekje()
    contact = boek.contact_voor("vertrouwenspersoon", "rotterdam")
    assert contact["email"] == "vertrouwenspersoon.rotterdam@voorbeeld.politie.invalid"
    assert "Rotterdam" in contact["intranet"]
    assert set(contact) == {"telefoon", "email", "intranet", "openingstijden"}
    zonder = boek.contact_voor("vik", None)
    assert "{" not in "".join(zonder.values())
    assert "jouw-eenheid" in zonder["email"]
    for code in LOKETTEN:
        for eenheid in (None, *EENHEDEN):
            assert "{" not in "".join(boek.contact_voor(code, eenheid).values())
    # The result is a copy: changing it does not change the routeboekje.
    contact["email"] = "x"
    assert boek.contact_voor("vertrouwenspersoon", "rotterdam")["email"] != "x"


def test_voorbeeldcontacten_zijn_gemarkeerd() -> None:
    boek = default_routeboekje()
    for code, loket in boek.loketten.items():
        if code == "noodhulp":
            assert "112" in loket.contact.telefoon and "0800-0113" in loket.contact.telefoon
            continue
        assert "voorbeeld" in loket.contact.telefoon
        assert "voorbeeld" in loket.contact.email


def test_ontbrekend_loket(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["loketten"].pop("vik"))
    assert "loketten.vik" in message and "missing loket 'vik'" in message


def test_onbekend_loket(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["loketten"].update(helpdesk=d["loketten"]["vik"]))
    assert "loketten.helpdesk" in message and "unknown code 'helpdesk'" in message


def test_onbekende_code_in_route(tmp_path: Path) -> None:
    def wijzig(d: dict[str, Any]) -> None:
        d["categorieen"]["pesten"]["route"][1] = "klaagmuur"

    message = _fout(tmp_path, wijzig)
    assert "categorieen.pesten.route[1]" in message and "'klaagmuur'" in message


def test_ontbrekende_categorie(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["categorieen"].pop("misstand"))
    assert "categorieen.misstand" in message and "missing categorie" in message


def test_onbekende_categorie(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["categorieen"].update(roddel=d["categorieen"]["pesten"]))
    assert "categorieen.roddel" in message and "unknown code 'roddel'" in message


def test_onbekende_eenheid(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["eenheden"].update(atlantis="Atlantis"))
    assert "eenheden.atlantis" in message and "unknown code 'atlantis'" in message


def test_onbekende_eenheid_in_regels(tmp_path: Path) -> None:
    def wijzig(d: dict[str, Any]) -> None:
        d["eenheid_regels"]["atlantis"] = d["eenheid_regels"]["rotterdam"]

    message = _fout(tmp_path, wijzig)
    assert "eenheid_regels.atlantis" in message


def test_ontbrekende_eenheid(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["eenheden"].pop("limburg"))
    assert "eenheden.limburg" in message and "missing eenheid" in message


def test_ontbrekend_veld(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["loketten"]["ombudsfunctionaris"].pop("wat_gebeurt_er"))
    assert "loketten.ombudsfunctionaris.wat_gebeurt_er" in message and "required" in message


def test_digitaal_volgt_contract(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["loketten"]["hr_adviseur"].update(ontvangt_digitaal=True))
    assert "loketten.hr_adviseur.ontvangt_digitaal" in message and "CONTRACT" in message


def test_verkeerde_groep(tmp_path: Path) -> None:
    message = _fout(tmp_path, lambda d: d["categorieen"]["pesten"].update(groep="zorg"))
    assert "categorieen.pesten.groep" in message and "'omgang'" in message


def test_onbekende_placeholder(tmp_path: Path) -> None:
    def wijzig(d: dict[str, Any]) -> None:
        d["loketten"]["vik"]["waarom"] = "Bij {situatie} kan VIK helpen."

    message = _fout(tmp_path, wijzig)
    assert "loketten.vik.waarom" in message and "{situatie}" in message


def test_onbekende_categorie_in_eenheid_regel(tmp_path: Path) -> None:
    def wijzig(d: dict[str, Any]) -> None:
        d["eenheid_regels"]["rotterdam"]["altijd_onderzoek"].append("roddel")

    message = _fout(tmp_path, wijzig)
    assert "eenheid_regels.rotterdam.altijd_onderzoek[4]" in message and "'roddel'" in message


def test_bestand_ontbreekt_of_kapot(tmp_path: Path) -> None:
    with pytest.raises(RouteboekjeError, match="cannot read"):
        load_routeboekje(tmp_path / "bestaat-niet.yaml")
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text("loketten: [", encoding="utf-8")
    with pytest.raises(RouteboekjeError, match="invalid YAML"):
        load_routeboekje(kapot)


def test_is_value_error() -> None:
    assert issubclass(RouteboekjeError, ValueError)
    assert isinstance(default_routeboekje(), Routeboekje)
