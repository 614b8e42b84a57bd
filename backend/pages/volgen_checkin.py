"""The follow-up page's check-in texts, with their sources, for the page script.

``web/src/volgen_checkin.js`` gets them in the page's ``volgen-teksten`` data
(backend/pages/volgen.py) as ``{"checkin": {key: {"tekst", "bron"}}}``.
"""

from __future__ import annotations

from backend.pages.teksten import platte_tekst, teksten

PREFIX = "volgen_checkin."


def checkin_teksten() -> dict[str, dict[str, str]]:
    """Every volgen_checkin text as plain text ({datum} is left for the script)."""
    plain = {
        "vraag": platte_tekst("volgen_checkin.vraag"),
        "waarom": platte_tekst("volgen_checkin.waarom"),
        "privacy": platte_tekst("volgen_checkin.privacy"),
        "tekst_hint": platte_tekst("volgen_checkin.tekst_hint"),
        "na_ja": platte_tekst("volgen_checkin.na_ja"),
        "bedankt": platte_tekst("volgen_checkin.bedankt"),
        "beantwoord": platte_tekst("volgen_checkin.beantwoord"),
        "volgende": platte_tekst("volgen_checkin.volgende"),
        "laatste": platte_tekst("volgen_checkin.laatste"),
        "agenda": platte_tekst("volgen_checkin.agenda"),
        "agenda_titel": platte_tekst("volgen_checkin.agenda_titel"),
        "agenda_uitleg": platte_tekst("volgen_checkin.agenda_uitleg"),
    }
    return {
        key: {"tekst": tekst, "bron": "; ".join(teksten()[PREFIX + key].bron_labels)}
        for key, tekst in plain.items()
    }
