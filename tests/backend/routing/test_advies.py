"""Routing advice: the ten principles of CONTRACT §5 over the full input space.

Each principle is a checker `(request, advice) -> bool` that is True when the
principle holds (or does not apply). Every checker runs over the full product of
the request fields; the eenheid field is reduced to None, every eenheid that has
its own rule (test_eenheden_zonder_regel_gelijk shows that every eenheid without
a rule gives the same lokets and reasons as None).

When `acuut_gevaar` is true, `noodhulp` comes before the normal advice
(principle 1), so "the first advice" in principles 2, 6, 8 and 9 means the
first advice after `noodhulp`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import lru_cache

import pytest

from backend.routing.advies import MAX_ADVIES, MIN_ADVIES, Advies, RouteAdviesRequest, advise
from backend.routing.codes import (
    CATEGORIE_GROEP,
    CATEGORIEEN,
    EENHEDEN,
    EERDER_GEMELD,
    LOKETTEN,
    ONDERZOEKENDE_LOKETTEN,
    ROLLEN,
    STEUN_LOKETTEN,
    WENSEN,
    EenheidCode,
)
from backend.routing.routeboekje import Routeboekje, default_routeboekje

BOEK = default_routeboekje()
# None stands for every eenheid without its own rule (see test_eenheden_zonder_regel_gelijk).
EENHEID_WAARDEN: tuple[EenheidCode | None, ...] = (None, *BOEK.eenheid_regels)
BOOLS = (False, True)

Result = tuple[RouteAdviesRequest, list[Advies]]
Checker = Callable[[RouteAdviesRequest, list[Advies]], bool]


@lru_cache(maxsize=1)
def all_results() -> tuple[Result, ...]:
    """Advice for every combination of inputs (built once per test session)."""
    out: list[Result] = []
    for values in itertools.product(
        CATEGORIEEN, ROLLEN, BOOLS, EENHEID_WAARDEN, BOOLS, EERDER_GEMELD, WENSEN, BOOLS, BOOLS
    ):
        cat, rol, aspirant, eenheid, lg, eerder, wens, anoniem, acuut = values
        req = RouteAdviesRequest(
            categorie=cat,
            rol_melder=rol,
            aspirant=aspirant,
            eenheid=eenheid,
            eigen_leidinggevende_betrokken=lg,
            eerder_gemeld=eerder,
            wens=wens,
            anoniem=anoniem,
            acuut_gevaar=acuut,
        )
        out.append((req, advise(req, BOEK)))
    return tuple(out)


def codes(advies: list[Advies]) -> list[str]:
    return [a.loket for a in advies]


def normaal(req: RouteAdviesRequest, advies: list[Advies]) -> list[str]:
    """The advice without the leading noodhulp (see module docstring)."""
    return codes(advies)[1:] if req.acuut_gevaar else codes(advies)


def groep(req: RouteAdviesRequest) -> str:
    return CATEGORIE_GROEP[req.categorie]


# --- the ten principles -------------------------------------------------------------------


def p1(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    # acuut_gevaar -> noodhulp first; noodhulp is for acute danger only.
    if req.acuut_gevaar:
        return codes(advies)[0] == "noodhulp"
    return "noodhulp" not in codes(advies)


def p2(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    geblokkeerd = req.eigen_leidinggevende_betrokken or req.eerder_gemeld in (
        "ja_geen_reactie",
        "ja_onvoldoende",
    )
    return not geblokkeerd or (
        codes(advies)[0] != "leidinggevende" and normaal(req, advies)[0] != "leidinggevende"
    )


def p3(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    return groep(req) not in ("udr", "omgang") or "vertrouwenspersoon" in codes(advies)


def p4(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    if groep(req) != "udr":
        return True
    if req.wens in ("melden", "onderzoek") and "vik" not in codes(advies):
        return False
    return req.rol_melder != "leidinggevende" or "udr_kernteam" in codes(advies)


def p5(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    nodig = {"meldpunt_misstanden", "vertrouwenspersoon_integriteit"}
    return req.categorie != "misstand" or nodig <= set(codes(advies))


def p6(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    return req.categorie != "integriteit" or "vik" in normaal(req, advies)[:2]


def p7(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    if req.categorie not in ("melding_niet_opgepakt", "represailles"):
        return True
    found = set(codes(advies))
    escalatie = {"ombudsfunctionaris", "klachtencommissie", "vik"}
    return bool(found & escalatie) and "vertrouwenspersoon" in found


def p8(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    if groep(req) != "zorg":
        return True
    eerste = normaal(req, advies)[0]
    if eerste in ONDERZOEKENDE_LOKETTEN:
        return False
    if req.categorie == "nazorg_incident":
        return eerste in ("collegiale_ondersteuning", "bedrijfsmaatschappelijk_werk")
    if req.categorie == "morele_stress":
        return "geestelijk_verzorger" in codes(advies)
    return "leidinggevende" in codes(advies)  # externe_dreiging


def p9(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    return req.wens != "steun" or normaal(req, advies)[0] in STEUN_LOKETTEN


def p10(req: RouteAdviesRequest, advies: list[Advies]) -> bool:
    if not req.anoniem:
        return True
    return all(
        not a.ontvangt_digitaal or a.anoniem_mogelijk or "niet anoniem" in a.waarom.lower()
        for a in advies
    )


PRINCIPES: dict[int, Checker] = {
    1: p1,
    2: p2,
    3: p3,
    4: p4,
    5: p5,
    6: p6,
    7: p7,
    8: p8,
    9: p9,
    10: p10,
}
GEBLOKKEERD = ("ja_geen_reactie", "ja_onvoldoende")

# When does a principle actually constrain the advice (used to prove it is not vacuous)?
PREMISSEN: dict[int, Callable[[RouteAdviesRequest], bool]] = {
    1: lambda r: r.acuut_gevaar,
    2: lambda r: r.eigen_leidinggevende_betrokken or r.eerder_gemeld in GEBLOKKEERD,
    3: lambda r: groep(r) in ("udr", "omgang"),
    4: lambda r: (
        groep(r) == "udr" and r.wens in ("melden", "onderzoek") and r.rol_melder == "leidinggevende"
    ),
    5: lambda r: r.categorie == "misstand",
    6: lambda r: r.categorie == "integriteit",
    7: lambda r: r.categorie in ("melding_niet_opgepakt", "represailles"),
    8: lambda r: r.categorie == "nazorg_incident",
    9: lambda r: r.wens == "steun",
    10: lambda r: r.anoniem and r.categorie == "pesten",  # pesten offers the klachtencommissie
}


def _zet_voorop(advies: list[Advies], code: str) -> list[Advies]:
    """Sabotage helper: put `code` first (adding it when missing)."""
    rest = [a for a in advies if a.loket != code]
    return [_advies(code), *rest]


def _zonder(advies: list[Advies], *weg: str) -> list[Advies]:
    return [a for a in advies if a.loket not in weg]


def _advies(code: str) -> Advies:
    loket = BOEK.loket(code)
    return Advies(
        loket=code,  # type: ignore[arg-type]
        naam=loket.naam,
        waarom="test",
        wat_gebeurt_er=loket.wat_gebeurt_er,
        ontvangt_digitaal=loket.ontvangt_digitaal,
        anoniem_mogelijk=loket.anoniem_mogelijk,
        contact={},
    )


# A deliberately wrong advice per principle: its checker must reject it.
SABOTAGE: dict[int, Callable[[list[Advies]], list[Advies]]] = {
    1: lambda a: _zonder(a, "noodhulp"),
    2: lambda a: _zet_voorop(_zonder(a, "noodhulp"), "leidinggevende"),
    3: lambda a: _zonder(a, "vertrouwenspersoon"),
    4: lambda a: _zonder(a, "vik", "udr_kernteam"),
    5: lambda a: _zonder(a, "meldpunt_misstanden"),
    6: lambda a: [*_zonder(a, "vik"), _advies("vik")],
    7: lambda a: _zonder(a, "ombudsfunctionaris", "klachtencommissie", "vik"),
    8: lambda a: _zet_voorop(_zonder(a, "noodhulp"), "vik"),
    9: lambda a: _zet_voorop(_zonder(a, "noodhulp"), "leidinggevende"),
    10: lambda a: [
        x.model_copy(update={"waarom": "test"}) for x in _zet_voorop(a, "klachtencommissie")
    ],
}


@pytest.mark.parametrize("nummer", sorted(PRINCIPES))
def test_principe_geldt_voor_alle_combinaties(nummer: int) -> None:
    check = PRINCIPES[nummer]
    fouten = [(req, codes(adv)) for req, adv in all_results() if not check(req, adv)]
    assert not fouten, f"principle {nummer} violated in {len(fouten)} cases, e.g. {fouten[:3]}"


@pytest.mark.parametrize("nummer", sorted(PRINCIPES))
def test_principe_is_niet_leeg_en_kan_falen(nummer: int) -> None:
    relevant = [(req, adv) for req, adv in all_results() if PREMISSEN[nummer](req)]
    assert relevant, f"principle {nummer}: no input combination triggers it"
    req, adv = relevant[0]
    assert PRINCIPES[nummer](req, adv)
    kapot = SABOTAGE[nummer](adv)
    assert not PRINCIPES[nummer](req, kapot), f"principle {nummer}: checker cannot fail"


def test_aantal_combinaties() -> None:
    verwacht = len(CATEGORIEEN) * len(ROLLEN) * 2 * len(EENHEID_WAARDEN) * 2 * len(EERDER_GEMELD)
    assert len(all_results()) == verwacht * len(WENSEN) * 2 * 2


def test_lengte_uniek_en_bestaand() -> None:
    for req, adv in all_results():
        found = codes(adv)
        assert MIN_ADVIES <= len(found) <= MAX_ADVIES, (req, found)
        assert len(set(found)) == len(found), (req, found)
        assert set(found) <= set(LOKETTEN) and set(found) <= set(BOEK.loketten), (req, found)


def test_advies_velden_komen_uit_het_routeboekje() -> None:
    for req, adv in all_results()[::97]:
        for a in adv:
            loket = BOEK.loket(a.loket)
            assert a.naam == loket.naam
            assert a.wat_gebeurt_er == loket.wat_gebeurt_er
            assert a.ontvangt_digitaal == loket.ontvangt_digitaal
            assert a.anoniem_mogelijk == loket.anoniem_mogelijk
            assert a.contact == BOEK.contact_voor(a.loket, req.eenheid)


NEDERLANDS = re.compile(r"\b(je|jij|jou|jouw|de|het|een|kun|kan|hier|bij)\b", re.IGNORECASE)
ENGELS = re.compile(r"\b(the|and|you|your|with|report)\b", re.IGNORECASE)


def test_waarom_is_gevuld_en_nederlands() -> None:
    gezien: set[str] = set()
    for _, adv in all_results():
        for a in adv:
            gezien.add(a.waarom)
    for waarom in gezien:
        assert waarom.strip() == waarom and len(waarom) > 20, waarom
        assert "{" not in waarom and "}" not in waarom, waarom
        assert NEDERLANDS.search(waarom) and not ENGELS.search(waarom), waarom
        assert waarom[-1] in ".?!", waarom


def _een(**kwargs: object) -> list[Advies]:
    return advise(RouteAdviesRequest.model_validate(kwargs), BOEK)


def _waarom(adv: list[Advies], code: str) -> str:
    return next(a.waarom for a in adv if a.loket == code)


def test_waarom_past_bij_de_situatie() -> None:
    udr = _een(categorie="racisme", wens="melden")
    assert "triagecommissie" in _waarom(udr, "vik")
    assert "vertrouwen" in _waarom(udr, "vertrouwenspersoon")
    betrokken = _een(categorie="pesten", eigen_leidinggevende_betrokken=True)
    assert "hoger in de lijn" in _waarom(betrokken, "leidinggevende")
    assert "zelf betrokken" in _waarom(betrokken, "leidinggevende")
    geen_reactie = _een(categorie="privacy", eerder_gemeld="ja_geen_reactie")
    assert "hoger in de lijn" in _waarom(geen_reactie, "leidinggevende")
    assert "eerder gemeld" in _waarom(geen_reactie, "ombudsfunctionaris")
    aspirant = _een(categorie="machtsmisbruik", aspirant=True)
    assert "begeleider" in _waarom(aspirant, "vertrouwenspersoon")
    leider = _een(categorie="uitsluiting", rol_melder="leidinggevende")
    assert codes(leider)[0] == "udr_kernteam"
    assert "geen onderzoek" in _waarom(leider, "udr_kernteam")


def test_anoniem_eerlijk() -> None:
    adv = _een(categorie="pesten", anoniem=True)
    assert "Let op: hier kun je niet anoniem melden." in _waarom(adv, "klachtencommissie")
    assert BOEK.loket("vertrouwenspersoon").anoniem_uitleg in _waarom(adv, "vertrouwenspersoon")
    # Lokets that accept anonymous meldingen are ranked before those that do not.
    volgorde = [a.anoniem_mogelijk for a in adv]
    assert volgorde == sorted(volgorde, reverse=True)
    assert "anoniem" not in _waarom(_een(categorie="pesten"), "klachtencommissie")


def test_rotterdam_regel() -> None:
    regel = BOEK.eenheid_regels["rotterdam"]
    assert set(regel.altijd_onderzoek) == {"uitsluiting", "discriminatie", "seksisme", "racisme"}
    for req, adv in all_results():
        if req.eenheid == "rotterdam" and req.categorie in regel.altijd_onderzoek:
            assert "vik" in codes(adv), req
            assert regel.toelichting in _waarom(adv, "vik"), req
        elif req.eenheid != "rotterdam":
            assert all("Rotterdam" not in a.waarom for a in adv), req


def test_eenheid_regel_is_data() -> None:
    """A rule added in the YAML alone makes routing offer VIK, with the explanation."""
    data = BOEK.model_dump()
    data["eenheid_regels"]["limburg"] = {
        "altijd_onderzoek": ["nazorg_incident"],
        "toelichting": "In Limburg kijkt VIK altijd mee.",
    }
    boek = Routeboekje.model_validate(data)
    req = RouteAdviesRequest(categorie="nazorg_incident", eenheid="limburg", wens="steun")
    adv = advise(req, boek)
    assert "vik" in codes(adv) and codes(adv)[0] != "vik"
    assert "In Limburg kijkt VIK altijd mee." in _waarom(adv, "vik")
    assert "vik" not in codes(advise(req.model_copy(update={"eenheid": "amsterdam"}), boek))


def test_eenheden_zonder_regel_gelijk() -> None:
    invoer = itertools.product(CATEGORIEEN, WENSEN, BOOLS, BOOLS, BOOLS)
    for cat, wens, anoniem, acuut, lg in invoer:
        basis = dict(categorie=cat, wens=wens, anoniem=anoniem, acuut_gevaar=acuut)
        basis["eigen_leidinggevende_betrokken"] = lg
        verwacht = [(a.loket, a.waarom) for a in _een(**basis)]
        for eenheid in EENHEDEN:
            if eenheid not in BOEK.eenheid_regels:
                assert [(a.loket, a.waarom) for a in _een(**basis, eenheid=eenheid)] == verwacht


def test_contact_voor_eenheid_ingevuld() -> None:
    adv = _een(categorie="pesten", eenheid="den-haag")
    vp = next(a for a in adv if a.loket == "vertrouwenspersoon")
    assert vp.contact["email"] == "vertrouwenspersoon.den-haag@voorbeeld.politie.invalid"
    assert "Den Haag" in vp.contact["intranet"]
    assert all("{" not in v for a in adv for v in a.contact.values())


def test_noodhulp_heeft_echte_nummers() -> None:
    adv = _een(categorie="morele_stress", acuut_gevaar=True)
    assert codes(adv)[0] == "noodhulp"
    telefoon = adv[0].contact["telefoon"]
    assert "112" in telefoon and "113" in telefoon and "0800-0113" in telefoon


def test_request_is_streng() -> None:
    with pytest.raises(ValueError):
        RouteAdviesRequest.model_validate({"categorie": "onbekend"})
    with pytest.raises(ValueError):
        RouteAdviesRequest.model_validate({"categorie": "pesten", "extra": 1})
    with pytest.raises(ValueError):
        RouteAdviesRequest.model_validate({"categorie": "pesten", "eenheid": "atlantis"})
    with pytest.raises(ValueError):
        RouteAdviesRequest.model_validate({"rol_melder": "omstander"})
    req = RouteAdviesRequest.model_validate({"categorie": "pesten"})
    standaard = (req.rol_melder, req.eerder_gemeld, req.wens, req.eenheid)
    assert standaard == ("betrokkene", "nee", "weet_niet", None)
