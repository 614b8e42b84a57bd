"""The bijlagen sentences for the follow-up page's script (plain text, from teksten.yml)."""

from __future__ import annotations

from backend.pages.teksten import platte_tekst


def bijlagen_teksten() -> dict[str, str]:
    return {
        "uitleg": platte_tekst("bijlagen.uitleg"),
        "limieten": platte_tekst("bijlagen.limieten"),
        "metadata": platte_tekst("bijlagen.metadata"),
        "zelf_kijken": platte_tekst("bijlagen.zelf_kijken"),
        "kan_naam_bevatten": platte_tekst("bijlagen.kan_naam_bevatten"),
        "opmerkingen_naam": platte_tekst("bijlagen.opmerkingen_naam"),
        "macro": platte_tekst("bijlagen.macro"),
        "geluid": platte_tekst("bijlagen.geluid"),
        "niet_schoon": platte_tekst("bijlagen.niet_schoon"),
        "te_groot": platte_tekst("bijlagen.te_groot"),
        "te_veel": platte_tekst("bijlagen.te_veel"),
        "soort_niet": platte_tekst("bijlagen.soort_niet"),
        "klopt_niet": platte_tekst("bijlagen.klopt_niet"),
        "verstuurd": platte_tekst("bijlagen.verstuurd"),
        "half": platte_tekst("bijlagen.half"),
        "chat_mislukt": platte_tekst("bijlagen.chat_mislukt"),
    }
