"""Listen to the story: keep the words, take the facts it tells, confirm in one line.

Issue 11: the bot must not re-ask what the melder just said. From the story the
extractor (:mod:`actions.story_facts`) takes only facts it is sure of (eenheid, who
the melder is, who the other is, how long, reported before). They fill the slots at
once, so the intake form skips those questions, and one short line confirms them
together with the situation: "Ik begrijp dat het gaat over pesten en dat je bij
Rotterdam werkt. Klopt dat?" with "Klopt" / "Aanpassen".

A story that clearly holds two situations offers those two; when the model is unsure
the likely situations are offered as buttons, never a one-button list.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction, button
from actions.routeboekje_data import categorie_codes, categorie_kort, eenheid_naam
from actions.story_facts import StoryFacts, extract_facts
from actions.texts import say

SITUATIE_PREFIX = "situatie_"
CONFIDENT = 0.4  # the FallbackClassifier threshold in bot/config.yml
# A second situation this likely (and at least half as likely as the first) is offered too.
SECOND_MIN = 0.2
FACT_SLOTS = ("eenheid", "rol_melder", "rol_ander", "sinds_wanneer", "eerder_gemeld")

# How each understood fact is said back, as the end of "Ik begrijp dat ...".
BEGRIP: dict[str, dict[str, str]] = {
    "rol_melder": {
        "aspirant": "je aspirant of student bent",
        "leidinggevende": "je leidinggevende bent en een signaal kreeg",
        "omstander": "je het bij een ander zag",
        "betrokkene": "het jou overkwam",
    },
    "rol_ander": {
        "eigen_leidinggevende": "het om je eigen leidinggevende gaat",
        "andere_leidinggevende": "het om een andere leidinggevende gaat",
        "begeleider": "het om je begeleider of docent gaat",
        "collega": "het om een collega gaat",
        "groep": "het om een groep of het team gaat",
        "iemand_anders": "het om iemand van buiten het werk gaat",
    },
    "sinds_wanneer": {
        "eenmalig": "het één keer gebeurde",
        "weken": "het al een paar weken speelt",
        "maanden": "het al maanden speelt",
        "jaar_of_langer": "het al een jaar of langer speelt",
    },
    "eerder_gemeld": {
        "nee": "je het nog niet eerder hebt gemeld",
        "ja_geen_reactie": "je het al hebt gemeld, maar er niets gebeurde",
        "ja_onvoldoende": "je het al hebt gemeld, maar het niet goed werd opgepakt",
        "ja_lopend": "je het al hebt gemeld en het nog loopt",
    },
}
# "bij eenheid Rotterdam", but "bij de Politieacademie".
BIJ = {
    "politieacademie": "de Politieacademie",
    "landelijke-eenheid": "de Landelijke Eenheid",
    "staf-korpsleiding": "de Staf Korpsleiding",
    "pdc": "het PDC",
}
FACT_TITLES = {
    "eenheid": "Eenheid",
    "rol_melder": "Wie jij bent",
    "rol_ander": "Wie de ander is",
    "sinds_wanneer": "Sinds wanneer",
    "eerder_gemeld": "Eerder gemeld",
}


def fact_phrase(slot: str, value: str) -> str | None:
    if slot == "eenheid":
        return f"je bij {BIJ.get(value, 'eenheid ' + eenheid_naam(value))} werkt"
    return BEGRIP.get(slot, {}).get(value)


def join_dutch(parts: list[str]) -> str:
    """ "a", "a en b", "a, b en c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def understanding(categorie: str | None, facts: dict[str, str]) -> str:
    """'Ik begrijp dat het gaat over pesten en dat je bij Rotterdam werkt.'"""
    parts = [f"het gaat over {categorie_kort(categorie)}"] if categorie else []
    parts += [p for p in (fact_phrase(s, v) for s, v in facts.items()) if p]
    if not parts:
        return ""
    return "Ik begrijp dat " + join_dutch([parts[0], *("dat " + p for p in parts[1:])]) + "."


def new_facts(tracker: Tracker, facts: StoryFacts) -> dict[str, str]:
    """Facts from the story for slots the melder did not fill yet, in question order."""
    found = {slot: getattr(facts, slot) for slot in FACT_SLOTS}
    return {s: v for s, v in found.items() if v and not tracker.get_slot(s)}


def situation_ranking(message: dict[str, Any]) -> list[tuple[str, float]]:
    ranking = message.get("intent_ranking") or []
    codes = set(categorie_codes())
    result = []
    for entry in ranking:
        name = str(entry.get("name") or "")
        if name.startswith(SITUATIE_PREFIX) and name[len(SITUATIE_PREFIX) :] in codes:
            result.append((name[len(SITUATIE_PREFIX) :], float(entry.get("confidence") or 0)))
    return result


def situation_button(code: str) -> dict[str, str]:
    return {
        "title": f"Het gaat over {categorie_kort(code)}",
        "payload": f'/kies_categorie{{"categorie":"{code}"}}',
    }


def situation_buttons(codes: list[str]) -> list[dict[str, str]]:
    """The likely situations, and "Iets anders" to choose from all of them."""
    return [*map(situation_button, codes), button("Iets anders", "/kies_andere_categorie")]


def understood_facts(tracker: Tracker) -> dict[str, str]:
    return {s: str(tracker.get_slot(s)) for s in FACT_SLOTS if tracker.get_slot(s)}


class ActionLuister(NamedAction):
    """Acknowledge what the melder told, keep their words, take its facts, confirm."""

    action_name = "action_luister"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        message = tracker.latest_message
        text = (message.get("text") or "").strip()
        earlier = tracker.get_slot("beschrijving")
        beschrijving = f"{earlier}\n{text}" if earlier else text
        facts = new_facts(tracker, extract_facts(beschrijving))
        events: list[EventType] = [SlotSet("beschrijving", beschrijving)]
        events += [SlotSet(slot, value) for slot, value in facts.items()]
        known = {**understood_facts(tracker), **facts}
        say(dispatcher, "dank_voor_verhaal")
        situations = situation_ranking(message)
        (first, p1), (second, p2) = (situations + [("", 0.0), ("", 0.0)])[:2]
        if p1 >= CONFIDENT and not (p2 >= SECOND_MIN and p2 >= p1 / 2):
            say(
                dispatcher,
                "klopt_dat",
                begrip=understanding(first, known),
                buttons=[button("Klopt", "/bevestig_categorie"), button("Aanpassen", "/aanpassen")],
            )
            return [*events, SlotSet("categorie", first), SlotSet("fase", "categorie_check")]
        # Unsure, or two situations at once: the likely ones as buttons (at least two).
        likely = [code for code, p in situations[:3] if p >= 0.05][:3]
        if len(likely) < 2:
            likely = [code for code, _ in situations[:2]]
        begrip = understanding(None, known)
        say(dispatcher, "welke_situatie", begrip=begrip, buttons=situation_buttons(likely))
        return [*events, SlotSet("fase", "categorie_keuze")]


def fact_correction_buttons(tracker: Tracker) -> list[dict[str, str]]:
    """'Aanpassen' right after the confirmation: the situation and each understood fact."""
    buttons = [{"title": "Soort situatie", "payload": "/kies_andere_categorie"}]
    buttons += [
        {"title": FACT_TITLES[slot], "payload": f'/corrigeer{{"veld":"{slot}"}}'}
        for slot in understood_facts(tracker)
    ]
    return buttons
