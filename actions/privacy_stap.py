"""The chat step "Let op, deze woorden kunnen laten zien wie je bent" (issue 15.2).

Before an anonymous melding is shown for consent (and, through the same hook, before a
bewaarmelding is stored), the melder's own words are checked on this server
(actions/privacy_check.py). Found words are listed; per word the melder replaces it by a
placeholder or keeps it, or decides for all at once. The edited story replaces
``beschrijving``; then the caller's next step runs.

The hook for a caller (``vervolg`` = a value of the slot ``privacy_stap``, which a rule
maps to the caller's next action; see data/stories/privacy_check.yml)::

    stap = await privacy_stap(dispatcher, tracker, vervolg="samenvatting")
    if stap.wacht:
        return stap.events  # the melder answers the buttons first
    events = [*events, *stap.events]
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, NamedAction, button
from actions.conversation import entity
from actions.privacy_check import Vondst, vervang, vind
from actions.texts import say

# Featurised (rules read it): "vragen" while words wait for a choice; otherwise the
# caller's next step ("samenvatting"; the bewaarmelding adds its own value).
STAP = "privacy_stap"
# The open check: the story, the findings, the choices so far, the next step.
OPEN = "privacy_open"
# A hash of the story as the melder last approved it: not checked twice.
GECONTROLEERD = "privacy_gecontroleerd"
TEKST_SLOT = "beschrijving"

SOORT_NAAM = {
    "naam": "een naam",
    "datum": "een datum",
    "tijd": "een tijd",
    "plaats": "een plaats",
    "team": "een team",
    "telefoon": "een telefoonnummer",
    "nummer": "een nummer",
    "email": "een e-mailadres",
    "kenmerk": "iets wat bij weinig mensen past",
}


def _hash(tekst: str) -> str:
    return hashlib.sha256(tekst.encode("utf-8")).hexdigest()


def anoniem(tracker: Tracker) -> bool:
    """The melder chose to stay anonymous (anonymous is the default, see identiteit)."""
    return tracker.get_slot("anoniem") != "nee"


def nodig(tracker: Tracker) -> bool:
    """Anonymous, a story, and this story not yet approved by the melder."""
    tekst = tracker.get_slot(TEKST_SLOT) or ""
    return (
        anoniem(tracker)
        and bool(tekst.strip())
        and (tracker.get_slot(GECONTROLEERD) != _hash(tekst))
    )


@dataclass
class Stap:
    """``wacht``: the melder must answer first (return ``events`` and listen)."""

    wacht: bool
    events: list[EventType] = field(default_factory=list)


def _knop(titel: str, keuze: str) -> dict[str, str]:
    return button(titel, f'/privacy_keuze{{"privacy_keuze":"{keuze}"}}')


def _vraag(dispatcher: Dispatcher, open_: dict[str, Any]) -> None:
    """Ask about the next undecided word."""
    vondsten = [Vondst(*v) for v in open_["vondsten"]]
    index = open_["volgende"]
    vondst = vondsten[index]
    say(
        dispatcher,
        "privacy_vraag",
        buttons=[
            _knop(f"Vervangen door {vondst.plaatshouder}", f"vervang {index}"),
            _knop("Laten staan", f"laat {index}"),
            _knop("Alles vervangen", "vervang alles"),
            _knop("Alles laten staan", "laat alles"),
        ],
        woord=vondst.tekst,
        soort=SOORT_NAAM[vondst.soort],
    )


async def privacy_stap(dispatcher: Dispatcher, tracker: Tracker, vervolg: str) -> Stap:
    """Check the story if needed; list what was found and ask about the first word."""
    if not nodig(tracker):
        return Stap(False)
    tekst = tracker.get_slot(TEKST_SLOT) or ""
    vondsten = await asyncio.to_thread(vind, tekst)
    if not vondsten:
        say(dispatcher, "privacy_niets_gevonden")
        return Stap(False, [SlotSet(GECONTROLEERD, _hash(tekst))])
    lijst = "\n".join(f"- {v.tekst} ({SOORT_NAAM[v.soort]})" for v in vondsten)
    say(dispatcher, "privacy_uitleg", lijst=lijst)
    open_ = {
        "tekst": tekst,
        "vondsten": [[v.start, v.end, v.tekst, v.soort] for v in vondsten],
        "vervangen": [],
        "volgende": 0,
        "vervolg": vervolg,
    }
    _vraag(dispatcher, open_)
    return Stap(True, [SlotSet(OPEN, open_), SlotSet(STAP, "vragen")])


def besluit(open_: dict[str, Any], keuze: str) -> dict[str, Any]:
    """The open check after one choice: "vervang 2", "laat 2", "vervang alles", "laat alles"."""
    actie, _, wat = keuze.partition(" ")
    totaal = len(open_["vondsten"])
    vervangen = set(open_["vervangen"])
    if wat == "alles":
        if actie == "vervang":
            vervangen |= set(range(open_["volgende"], totaal))
        volgende = totaal
    else:
        index = int(wat) if wat else open_["volgende"]  # typed: the word asked about
        if index != open_["volgende"]:  # an old button: ask the open word again
            return open_
        if actie == "vervang":
            vervangen.add(index)
        volgende = index + 1
    return {**open_, "vervangen": sorted(vervangen), "volgende": volgende}


def getypte_keuze(bericht: str) -> str:
    """A typed answer: "vervang"/"laat", with " alles" when it says so."""
    woorden = bericht.lower()
    laten = "laat" in woorden or "laten" in woorden or "staan" in woorden
    actie = "vervang" if "vervang" in woorden else "laat" if laten else ""
    if not actie:
        return ""
    return f"{actie} alles" if re.search(r"\balle(s|n|maal)?\b", woorden) else actie


class ActionPrivacyKeuze(NamedAction):
    """One choice on a found word; after the last, the story is edited and the caller's
    next step follows (the rule reads the slot ``privacy_stap``)."""

    action_name = "action_privacy_keuze"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        open_ = tracker.get_slot(OPEN)
        keuze = entity(tracker, "privacy_keuze") or getypte_keuze(
            tracker.latest_message.get("text") or ""
        )
        if not open_ or keuze.partition(" ")[0] not in ("vervang", "laat"):
            return [SlotSet(STAP, tracker.get_slot(STAP) or "samenvatting")]
        try:
            open_ = besluit(open_, keuze)
        except ValueError:
            open_ = dict(open_)
        if open_["volgende"] < len(open_["vondsten"]):
            _vraag(dispatcher, open_)
            return [SlotSet(OPEN, open_), SlotSet(STAP, "vragen")]
        vondsten = [Vondst(*v) for v in open_["vondsten"]]
        nieuw = vervang(open_["tekst"], vondsten, set(open_["vervangen"]))
        aantal = len(open_["vervangen"])
        if aantal:
            say(dispatcher, "privacy_klaar", aantal=str(aantal), woorden=woorden(aantal))
        else:
            say(dispatcher, "privacy_alles_staat")
        return [
            SlotSet(TEKST_SLOT, nieuw),
            SlotSet(GECONTROLEERD, _hash(nieuw)),
            SlotSet(OPEN, None),
            SlotSet(STAP, open_["vervolg"]),
        ]


def woorden(aantal: int) -> str:
    return "woord" if aantal == 1 else "woorden"
