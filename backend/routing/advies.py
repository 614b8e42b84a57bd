"""Routing advice (CONTRACT §5): which lokets fit a situation, in which order, and why.

`advise()` is a pure function of the request and the routeboekje. The content
(routes, rules per group, wish and role, per-eenheid rules, texts) lives in
backend/data/routeboekje.yaml; this module only applies it in a fixed order:

1. start from the category's default route;
2. add the lokets that must be offered (group/category rules, eenheid rules,
   escalation after an earlier melding without reaction, the wish's loket);
3. soft ranking: anonymous-capable lokets first when the melder wants to stay
   anonymous; the line last when it is involved or did not react; then the
   role's and the wish's preferred loket to the front;
4. hard rules for the first advice (principles 2, 8 and 9) and maximum places
   (principle 6);
5. `noodhulp` in front when there is acute danger (principle 1); it then comes
   *before* the normal advice, so rules about "the first advice" apply to the
   first advice after `noodhulp`;
6. trim to at most 6 (never dropping a required loket) and pad to at least 3.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from backend.routing.codes import (
    CategorieCode,
    EenheidCode,
    EerderGemeld,
    LoketCode,
    RolMelder,
    Wens,
)
from backend.routing.routeboekje import Categorie, Routeboekje

MIN_ADVIES = 3
MAX_ADVIES = 6
NOODHULP: LoketCode = "noodhulp"
LIJN: LoketCode = "leidinggevende"
VIK: LoketCode = "vik"
VERTROUWENSPERSONEN: tuple[LoketCode, ...] = (
    "vertrouwenspersoon",
    "vertrouwenspersoon_integriteit",
)


class RouteAdviesRequest(BaseModel):
    """Request body of POST /api/v1/routeadvies (CONTRACT §5)."""

    model_config = ConfigDict(extra="forbid")

    categorie: CategorieCode
    rol_melder: RolMelder = "betrokkene"
    aspirant: bool = False
    eenheid: EenheidCode | None = None
    eigen_leidinggevende_betrokken: bool = False
    eerder_gemeld: EerderGemeld = "nee"
    wens: Wens = "weet_niet"
    anoniem: bool = False
    acuut_gevaar: bool = False


class Advies(BaseModel):
    """One advised loket (an item of the CONTRACT §5 response)."""

    loket: LoketCode
    naam: str
    waarom: str
    wat_gebeurt_er: str
    ontvangt_digitaal: bool
    anoniem_mogelijk: bool
    contact: dict[str, str]


class RouteAdviesResponse(BaseModel):
    advies: list[Advies]


def advise(req: RouteAdviesRequest, boek: Routeboekje) -> list[Advies]:
    """Ordered advice (first = primary), 3 to 6 lokets, no duplicates."""
    cat = boek.categorie(req.categorie)
    lijn_geblokkeerd = req.eigen_leidinggevende_betrokken or req.eerder_gemeld in boek.escalatie.na
    order, extra = _rangschik(req, boek, cat, lijn_geblokkeerd)
    advies: list[Advies] = []
    for code in order:
        loket = boek.loket(code)
        advies.append(
            Advies(
                loket=code,
                naam=loket.naam,
                waarom=_waarom(code, req, boek, cat, extra.get(code, []), lijn_geblokkeerd),
                wat_gebeurt_er=loket.wat_gebeurt_er,
                ontvangt_digitaal=loket.ontvangt_digitaal,
                anoniem_mogelijk=loket.anoniem_mogelijk,
                contact=boek.contact_voor(code, req.eenheid),
            )
        )
    return advies


# --- ordering ---------------------------------------------------------------------------


def _rangschik(
    req: RouteAdviesRequest, boek: Routeboekje, cat: Categorie, lijn_geblokkeerd: bool
) -> tuple[list[LoketCode], dict[LoketCode, list[str]]]:
    """The ordered loket codes plus extra, situation-specific reasons per loket."""
    groep = boek.groep(cat.groep)
    wens = boek.wensen[req.wens]
    rol = boek.rollen[req.rol_melder]
    order: list[LoketCode] = list(cat.route)
    required: set[LoketCode] = set()
    extra: dict[LoketCode, list[str]] = {}

    def add(codes: Iterable[LoketCode], *, must: bool) -> None:
        for code in codes:
            if code not in order:
                order.append(code)
            if must:
                required.add(code)

    def reden(codes: Iterable[LoketCode], tekst: str | None) -> None:
        for code in codes:
            if tekst:
                extra.setdefault(code, []).append(tekst)

    # 2. Lokets that must be offered.
    add(groep.altijd, must=True)
    add(groep.bij_wens.get(req.wens, ()), must=True)
    add(groep.bij_rol.get(req.rol_melder, ()), must=True)
    add(cat.altijd, must=True)
    add(cat.max_plaats, must=True)
    regel = boek.eenheid_regels.get(req.eenheid) if req.eenheid else None
    if regel and req.categorie in regel.altijd_onderzoek:
        add([VIK], must=True)
        reden([VIK], regel.toelichting)
    # The line goes to the end when it is involved or did not react; escalation
    # lokets (last resort last) come after it, so they are dropped first.
    if lijn_geblokkeerd and LIJN in order:
        order.remove(LIJN)
        order.append(LIJN)
    escaleren = req.eerder_gemeld in boek.escalatie.na
    if escaleren and cat.groep not in boek.escalatie.niet_voor_groepen:
        add(boek.escalatie.toevoegen, must=False)
    if wens.toevoegen:
        add([wens.toevoegen], must=False)

    # Situation-specific reasons, most specific first (only the first one is shown).
    if req.aspirant:
        reden(VERTROUWENSPERSONEN, boek.teksten.aspirant)
    if escaleren:
        reden(boek.escalatie.loketten, boek.teksten.escalatie)
    if req.rol_melder == "omstander":
        reden(VERTROUWENSPERSONEN, boek.teksten.omstander)

    # 3. Soft ranking (stable: the route order stays where nothing else applies).
    if req.anoniem:
        order.sort(key=lambda code: not boek.loket(code).anoniem_mogelijk)
    for voorkeur, tekst in ((rol.voorkeur, rol.tekst), (wens.voorkeur, wens.tekst)):
        promoted = _naar_voren(order, voorkeur)
        if promoted:
            reden([promoted], tekst)
    if req.eerder_gemeld == "ja_lopend":
        reden((c for c in order if boek.loket(c).ondersteunt), boek.teksten.lopend)

    # 4. Hard rules for the first advice and maximum places.
    def mag_eerst(code: LoketCode) -> bool:
        loket = boek.loket(code)
        return not (
            (code == LIJN and lijn_geblokkeerd)
            or (groep.geen_onderzoek_eerst and loket.onderzoekt)
            or (cat.eerst_uit and code not in cat.eerst_uit)
            or (wens.eerst_verplicht and code not in wens.voorkeur)
        )

    if not mag_eerst(order[0]):
        kandidaten = (*order, *cat.eerst_uit, *wens.voorkeur, *boek.terugval)
        eerste = next(code for code in kandidaten if mag_eerst(code))
        if eerste in order:
            order.remove(eerste)
        order.insert(0, eerste)
    required.add(order[0])
    for code, plaats in cat.max_plaats.items():
        # With acute danger noodhulp comes first, so aim one place higher if allowed.
        doel = plaats - 1 - (1 if req.acuut_gevaar and mag_eerst(code) else 0)
        if order.index(code) > doel:
            order.remove(code)
            order.insert(doel, code)

    # 5. Acute danger: noodhulp before everything else.
    if req.acuut_gevaar:
        if NOODHULP in order:
            order.remove(NOODHULP)
        order.insert(0, NOODHULP)
        required.add(NOODHULP)

    # 6. Size: drop optional lokets from the end, pad from the fallback list.
    while len(order) > MAX_ADVIES:
        order.pop(max(i for i, code in enumerate(order) if code not in required))
    for code in boek.terugval:
        if len(order) >= MIN_ADVIES:
            break
        if code not in order:
            order.append(code)
    return order, extra


def _naar_voren(order: list[LoketCode], voorkeur: Iterable[LoketCode]) -> LoketCode | None:
    """Move the first loket of `order` that is in `voorkeur` to the front."""
    wanted = set(voorkeur)
    found = next((code for code in order if code in wanted), None)
    if found is not None:
        order.remove(found)
        order.insert(0, found)
    return found


# --- texts ------------------------------------------------------------------------------


def _waarom(
    code: LoketCode,
    req: RouteAdviesRequest,
    boek: Routeboekje,
    cat: Categorie,
    extra: list[str],
    lijn_geblokkeerd: bool,
) -> str:
    loket = boek.loket(code)
    teksten = boek.teksten
    if code == LIJN and lijn_geblokkeerd:
        betrokken = req.eigen_leidinggevende_betrokken
        basis = teksten.lijn_betrokken if betrokken else teksten.lijn_geen_reactie
    else:
        basis = cat.waarom.get(code, loket.waarom)
    zinnen = [basis, *extra[:1]]
    if req.anoniem:
        zinnen.append(loket.anoniem_uitleg if loket.anoniem_mogelijk else teksten.niet_anoniem)
    return " ".join(zin.replace("{kort}", cat.kort) for zin in zinnen)


__all__: list[str] = [
    "MAX_ADVIES",
    "MIN_ADVIES",
    "Advies",
    "RouteAdviesRequest",
    "RouteAdviesResponse",
    "advise",
]
