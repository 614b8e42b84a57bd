"""Fixed codes from CONTRACT.md (sections 1, 2, 3 and 5), in contract order.

Pure stdlib on purpose: every other module (backend, actions, tests) may import
this without pulling in pydantic or the routeboekje data.
"""

from __future__ import annotations

from typing import Literal, get_args

# CONTRACT §1: situation categories.
CategorieCode = Literal[
    "uitsluiting",
    "discriminatie",
    "racisme",
    "seksisme",
    "seksuele_intimidatie",
    "pesten",
    "intimidatie",
    "machtsmisbruik",
    "fysiek_geweld",
    "integriteit",
    "misstand",
    "privacy",
    "bejegening_werkgever",
    "represailles",
    "melding_niet_opgepakt",
    "onveilig_team",
    "nazorg_incident",
    "morele_stress",
    "externe_dreiging",
]

# CONTRACT §1: category groups.
Groep = Literal["udr", "omgang", "integriteit", "werkgever", "procedure", "team", "zorg"]

# CONTRACT §2: lokets and helpers; first the lokets that receive an encrypted melding
# through the system (column "receives an encrypted melding through the system").
DigitaleLoketCode = Literal[
    "vertrouwenspersoon",
    "vertrouwenspersoon_integriteit",
    "vik",
    "klachtencommissie",
    "meldpunt_misstanden",
    "ombudsfunctionaris",
    "udr_kernteam",
]
LoketCode = Literal[
    DigitaleLoketCode,
    "leidinggevende",
    "hr_adviseur",
    "team_vgw",
    "bedrijfsmaatschappelijk_werk",
    "geestelijk_verzorger",
    "sociaal_loket",
    "collegiale_ondersteuning",
    "bedrijfsarts",
    "netwerk_divers_vakmanschap",
    "politiebond",
    "noodhulp",
]

# CONTRACT §3: eenheden.
EenheidCode = Literal[
    "noord-nederland",
    "oost-nederland",
    "midden-nederland",
    "noord-holland",
    "amsterdam",
    "den-haag",
    "rotterdam",
    "zeeland-west-brabant",
    "oost-brabant",
    "limburg",
    "landelijke-eenheid",
    "pdc",
    "politieacademie",
    "staf-korpsleiding",
]

# CONTRACT §5: request enums.
RolMelder = Literal["betrokkene", "omstander", "leidinggevende"]
EerderGemeld = Literal["nee", "ja_geen_reactie", "ja_onvoldoende", "ja_lopend"]
Wens = Literal["steun", "advies", "melden", "klacht", "onderzoek", "weet_niet"]
Niveau = Literal["eenheid", "landelijk"]

CATEGORIEEN: tuple[CategorieCode, ...] = get_args(CategorieCode)
GROEPEN: tuple[Groep, ...] = get_args(Groep)
LOKETTEN: tuple[LoketCode, ...] = get_args(LoketCode)
EENHEDEN: tuple[EenheidCode, ...] = get_args(EenheidCode)
ROLLEN: tuple[RolMelder, ...] = get_args(RolMelder)
EERDER_GEMELD: tuple[EerderGemeld, ...] = get_args(EerderGemeld)
WENSEN: tuple[Wens, ...] = get_args(Wens)

# CONTRACT §1, column "group".
CATEGORIE_GROEP: dict[CategorieCode, Groep] = {
    "uitsluiting": "udr",
    "discriminatie": "udr",
    "racisme": "udr",
    "seksisme": "omgang",
    "seksuele_intimidatie": "omgang",
    "pesten": "omgang",
    "intimidatie": "omgang",
    "machtsmisbruik": "omgang",
    "fysiek_geweld": "omgang",
    "integriteit": "integriteit",
    "misstand": "integriteit",
    "privacy": "werkgever",
    "bejegening_werkgever": "werkgever",
    "represailles": "procedure",
    "melding_niet_opgepakt": "procedure",
    "onveilig_team": "team",
    "nazorg_incident": "zorg",
    "morele_stress": "zorg",
    "externe_dreiging": "zorg",
}

DIGITALE_LOKETTEN: frozenset[LoketCode] = frozenset(get_args(DigitaleLoketCode))

# CONTRACT §2, column "scope": national lokets.
LANDELIJKE_LOKETTEN: frozenset[LoketCode] = frozenset(
    {"meldpunt_misstanden", "ombudsfunctionaris", "udr_kernteam"}
)

# CONTRACT §5 principle 8: investigative lokets.
ONDERZOEKENDE_LOKETTEN: frozenset[LoketCode] = frozenset(
    {"vik", "meldpunt_misstanden", "klachtencommissie"}
)

# CONTRACT §5 principle 9: supporting lokets.
STEUN_LOKETTEN: frozenset[LoketCode] = frozenset(
    {
        "vertrouwenspersoon",
        "bedrijfsmaatschappelijk_werk",
        "geestelijk_verzorger",
        "sociaal_loket",
        "collegiale_ondersteuning",
    }
)
