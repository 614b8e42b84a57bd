"""Texts of the follow-up page for a meldcode typed in words (web/src/volgen_woorden.js).

The page script reads the words itself (the meldcode never leaves the browser); these
are its sentences, from backend/pages/teksten.yml, with their ``{placeholders}`` left
for the script to fill in.
"""

from __future__ import annotations

from backend.pages.teksten import platte_tekst


def volgen_woorden_teksten() -> dict[str, str]:
    return {
        "onbekend": platte_tekst("volgen.woorden_onbekend"),
        "suggestie": platte_tekst("volgen.woorden_suggestie"),
        "aantal": platte_tekst("volgen.woorden_aantal"),
    }
