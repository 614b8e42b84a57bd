"""What the follow-up page (/volgen) says about the clock, per kind, with its sources.

The texts live here as data beside their sources (docs/sources.md); the template
shows the text and, under it, the sources as "Bron".
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.content.sources import labels

WET = (
    "wet:Richtlijn (EU) 2019/1937, art. 9 lid 1 onder b en f",
    "wet:Wet bescherming klokkenluiders, art. 2",
)
MELDCODE = (
    "ontwerpkeuze:het loket en de melder schrijven elkaar via Meldwijzer; "
    "de melder leest het met de meldcode",
)


@dataclass(frozen=True)
class PaginaTekst:
    tekst: str
    bronnen: tuple[str, ...]

    @property
    def bron_labels(self) -> list[str]:
        return labels(list(self.bronnen))


# Shown under "Hoe staat het ervoor?", chosen by the melding's termijn_soort.
VOLGEN_TERMIJN: dict[str, PaginaTekst] = {
    "wet": PaginaTekst(
        "Voor een melding van een misstand geldt de Wet bescherming klokkenluiders. "
        "Het loket moet binnen 7 dagen laten weten dat je melding binnen is. "
        "Daarna hoor je binnen 3 maanden wat er met je melding gebeurt. "
        "Krijg je geen bevestiging? Dan tellen de 3 maanden vanaf het einde van die 7 dagen.",
        WET,
    ),
    "afspraak": PaginaTekst(
        "Dit loket heeft zelf afgesproken hoe snel het reageert. "
        "Dat is een afspraak, geen wettelijke termijn. De datums staan hierboven.",
        (
            "ontwerpkeuze:een organisatie kan per loket een eigen termijn afspreken; "
            "Meldwijzer noemt die een afspraak",
        ),
    ),
    "geen": PaginaTekst(
        "Voor dit loket geldt geen vaste termijn. Het loket kan je hier een bericht sturen. "
        "Kijk daarom af en toe met je meldcode.",
        (
            "ontwerpkeuze:de wettelijke termijn geldt alleen voor een melding van een "
            "misstand; voor dit loket is geen termijn ingesteld",
            *MELDCODE,
        ),
    ),
}

# The label after a date: which kind of term it is.
DATUM_SOORT = {"wet": "wettelijke termijn", "afspraak": "afspraak"}
