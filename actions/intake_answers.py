"""Answer options of the intake questions and how typed answers map onto them.

Every question is offered with buttons; melders who type instead get their
words matched to an option by keywords (checked in order, first match wins).
"""

from __future__ import annotations

import re

# slot -> ordered (value, Dutch label) pairs, used for buttons and the summary.
OPTIONS: dict[str, list[tuple[str, str]]] = {
    "rol_melder": [
        ("betrokkene", "Het overkwam mij"),
        ("omstander", "Ik zag het bij een ander"),
        ("leidinggevende", "Ik ben leidinggevende en kreeg een signaal"),
        ("aspirant", "Ik ben aspirant of student en het overkwam mij"),
    ],
    "sinds_wanneer": [
        ("eenmalig", "Eén keer"),
        ("weken", "Een paar weken"),
        ("maanden", "Een paar maanden"),
        ("jaar_of_langer", "Een jaar of langer"),
        ("weet_niet", "Weet ik niet"),
    ],
    "rol_ander": [
        ("collega", "Een collega"),
        ("eigen_leidinggevende", "Mijn eigen leidinggevende"),
        ("andere_leidinggevende", "Een andere leidinggevende"),
        ("begeleider", "Mijn begeleider of docent"),
        ("groep", "Een groep of het team"),
        ("iemand_anders", "Iemand anders"),
        ("weet_niet", "Weet ik niet of zeg ik liever niet"),
    ],
    "eerder_gemeld": [
        ("nee", "Nee, nog niet"),
        ("ja_geen_reactie", "Ja, maar er gebeurde niets"),
        ("ja_onvoldoende", "Ja, maar het werd niet goed opgepakt"),
        ("ja_lopend", "Ja, het loopt nog"),
        ("weet_niet", "Weet ik niet"),
    ],
    "wens": [
        ("steun", "Steun: iemand die naar me luistert"),
        ("advies", "Advies: wat kan ik doen?"),
        ("melden", "Het melden, zodat er iets mee gebeurt"),
        ("klacht", "Een klacht indienen"),
        ("onderzoek", "Dat het onderzocht wordt"),
        ("weet_niet", "Weet ik nog niet"),
    ],
    "anoniem": [
        ("ja", "Ja, ik wil anoniem blijven"),
        ("nee", "Nee, mijn naam mag bekend zijn bij het loket"),
    ],
    "toestemming_doorsturen": [
        ("ja", "Ja, dat mag"),
        ("nee", "Nee, alleen het loket dat ik kies"),
    ],
}

KEYWORDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "rol_melder": [
        ("aspirant", ("aspirant", "student", "stagiair", "politieacademie", r"\bpa\b")),
        (
            "leidinggevende",
            (
                "leidinggevende",
                "teamchef",
                r"\btc\b",
                r"\boe\b",
                "medewerker van mij",
                "signaal gekregen",
                "ik ben chef",
            ),
        ),
        (
            "omstander",
            (
                "zag",
                "omstander",
                "getuige",
                "bij een ander",
                "bij een collega",
                "niet bij mij",
                "collega van mij",
            ),
        ),
        ("betrokkene", ("mij", "mijzelf", "mezelf", "ikzelf", "overkwam", "ik")),
    ],
    "sinds_wanneer": [
        ("jaar_of_langer", ("jaar", "jaren", "al heel lang", "altijd al")),
        ("maanden", ("maand", "maanden")),
        ("weken", ("week", "weken", "paar dagen")),
        (
            "eenmalig",
            ("een keer", "één keer", "1 keer", "eenmalig", "vandaag", "gisteren", "eenmaal"),
        ),
    ],
    "rol_ander": [
        (
            "eigen_leidinggevende",
            (r"mijn (eigen )?(leidinggevende|chef|baas|oe|tc|teamchef)\b", "eigen leidinggevende"),
        ),
        (
            "andere_leidinggevende",
            ("leidinggevende", "chef", "teamchef", r"\boe\b", r"\btc\b", "sectorhoofd"),
        ),
        ("begeleider", ("begeleider", "docent", "mentor", "praktijkbegeleider")),
        ("groep", ("groep", "team", "ploeg", "meerdere", "collega's")),
        ("collega", ("collega",)),
        ("iemand_anders", ("iemand anders", "burger", "extern", "van buiten")),
    ],
    "eerder_gemeld": [
        ("ja_lopend", ("loopt nog", "is bezig", "lopend", "nog bezig")),
        ("ja_onvoldoende", ("niet goed", "onvoldoende", "half", "slecht opgepakt")),
        ("ja_geen_reactie", ("niets", "niks", "geen reactie", "nooit iets gehoord")),
        ("nee", ("nee", "nog niet", "niet gemeld", "nooit")),
    ],
    "wens": [
        ("onderzoek", ("onderzoek", "uitzoeken", "onderzocht")),
        ("klacht", ("klacht",)),
        ("melden", ("melden", "melding", "officieel")),
        ("advies", ("advies", "wat moet ik", "wat kan ik", "raad")),
        ("steun", ("steun", "luisteren", "praten", "luisterend oor", "hulp")),
    ],
    "anoniem": [
        ("nee", ("niet anoniem", "naam mag", "mag weten", "nee")),
        ("ja", ("anoniem", "ja", "liever niet")),
    ],
    "toestemming_doorsturen": [
        ("nee", ("nee", "niet", "alleen")),
        ("ja", ("ja", "mag", "goed", "prima", "akkoord")),
    ],
}


def label(slot: str, value: str | None) -> str:
    for option, text in OPTIONS.get(slot, []):
        if option == value:
            return text
    return "weet ik niet" if value in (None, "weet_niet") else str(value)


def match_typed_answer(slot: str, text: str) -> str | None:
    """The option a typed answer points to, or None when unclear."""
    lowered = text.lower().strip()
    for value, _ in OPTIONS.get(slot, []):
        if lowered == value.replace("_", " "):
            return value
    for value, patterns in KEYWORDS.get(slot, []):
        if any(re.search(p, lowered) for p in patterns):
            return value
    return None
