"""Guidance for each kind of melder, shown before the routing options."""

from __future__ import annotations

OMSTANDER = (
    "Goed dat je niet wegkijkt. Als omstander kun je veel doen. Vraag je collega hoe het "
    "gaat en wat die zelf wil. Je mag ook zelf melden wat je zag; je hoeft niet te wachten "
    "tot de ander dat doet. Zo word je van omstander een opstander."
)

LEIDINGGEVENDE = (
    "Je kreeg als leidinggevende een signaal. Dit zijn goede stappen:\n"
    "1. Praat met wie het overkwam. Luister zonder oordeel en vraag wat die nodig heeft.\n"
    "2. Wijs diegene altijd op de vertrouwenspersoon van de eenheid. Dat is vrijwillig.\n"
    "3. Vertel je eigen leidinggevende wat er speelt.\n"
    "4. Twijfel je, of wil je sparren? Het landelijk kernteam UDR geeft advies; "
    "zij doen geen onderzoek.\n"
    "5. Vermoed je plichtsverzuim of een strafbaar feit? Neem contact op met VIK van je "
    "eenheid. Dan volgt triage.\n"
    "6. Speelt het in het hele team? Zoek begeleiding van buiten het team, zoals Team "
    "Veilig en Gezond Werken.\n"
    "7. Vertel de betrokkenen welke stappen je zet, en leer er samen van."
)

ASPIRANT = (
    "Je bent aspirant. Dan ben je vaak afhankelijk van je begeleider, en dat maakt praten "
    "lastig. Je mag altijd naar een vertrouwenspersoon, ook van buiten je team. Je "
    "begeleider hoeft dat niet te weten."
)

ANONIEM = (
    "Je blijft anoniem: ik vraag niet wie je bent. Eerlijk is eerlijk: als je verhaal heel "
    "specifiek is, kan iemand misschien raden wie het vertelt. En voor een onderzoek is je "
    "naam meestal wel nodig. Dat beslis je later zelf."
)


def guidance(rol_melder: str | None, anoniem: bool) -> list[str]:
    """The texts for this melder, in the order they are shown."""
    texts = {
        "omstander": [OMSTANDER],
        "leidinggevende": [LEIDINGGEVENDE],
        "aspirant": [ASPIRANT],
    }.get(rol_melder or "", [])
    return [*texts, ANONIEM] if anoniem else texts
