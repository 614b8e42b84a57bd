"""The chat step before an anonymous melding: found words, replace or keep (issue 15.2)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import submission
from actions.privacy_stap import GECONTROLEERD, OPEN, STAP, ActionPrivacyKeuze, getypte_keuze

VERHAAL = "Op 3 maart zei brigadier De Vries dat ik moest oprotten. Bel me op 06-12345678."
ADVIES = [
    {"loket": "vertrouwenspersoon", "naam": "Vertrouwenspersoon", "ontvangt_digitaal": True,
     "anoniem_mogelijk": True},
]  # fmt: skip
SLOTS: dict[str, Any] = {
    "categorie": "pesten",
    "beschrijving": VERHAAL,
    "eenheid": "rotterdam",
    "anoniem": "ja",
    "gekozen_loket": "vertrouwenspersoon",
    "melding_id": "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90",
    "advies": ADVIES,
}


def _tracker(slots: dict[str, Any], text: str = "", intent: str = "inform") -> Tracker:
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent}, "entities": []}
    if text.startswith("/privacy_keuze{"):
        value = json.loads(text[len("/privacy_keuze") :])["privacy_keuze"]
        latest["entities"] = [{"entity": "privacy_keuze", "value": value}]
    return Tracker("t", slots, latest, [], False, None, {}, "")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_key(loket: str, eenheid: str) -> None:
        return None

    monkeypatch.setattr(submission, "_loket_key", no_key)
    monkeypatch.setattr(submission.prepared_meldcodes(), "prepare", lambda melding_id: None)


def _run(action: Any, slots: dict[str, Any], text: str = "") -> tuple[str, list[str], dict]:
    """Run an action; return what it said, its button payloads, and the slots after it."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, _tracker(slots, text), {}))
    after = {**slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    said = "\n".join(m["text"] or "" for m in dispatcher.messages)
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    return said, payloads, after


def _kies(slots: dict[str, Any], keuze: str) -> tuple[str, list[str], dict]:
    return _run(ActionPrivacyKeuze(), slots, f'/privacy_keuze{{"privacy_keuze":"{keuze}"}}')


def test_anonymous_story_with_identifiers_is_checked_before_the_summary() -> None:
    said, payloads, after = _run(submission.ActionSamenvatting(), SLOTS)
    assert "Je wilt anoniem blijven" in said and "wie je bent, of wie het is" in said
    for woord in ("3 maart", "De Vries", "06-12345678"):
        assert woord in said
    assert "Dit is je melding" not in said  # no summary yet
    assert payloads == [
        '/privacy_keuze{"privacy_keuze":"vervang 0"}',
        '/privacy_keuze{"privacy_keuze":"laat 0"}',
        '/privacy_keuze{"privacy_keuze":"vervang alles"}',
        '/privacy_keuze{"privacy_keuze":"laat alles"}',
    ]
    assert after[STAP] == "vragen"


def test_per_word_choices_edit_the_story_and_then_the_summary_follows() -> None:
    _, _, slots = _run(submission.ActionSamenvatting(), SLOTS)
    said, payloads, slots = _kies(slots, "vervang 0")
    assert '"De Vries"' in said and '/privacy_keuze{"privacy_keuze":"laat 1"}' in payloads
    said, _, slots = _kies(slots, "laat 1")
    assert "06-12345678" in said
    said, _, slots = _kies(slots, "vervang 2")
    assert "2 woorden vervangen" in said
    assert slots["beschrijving"] == (
        "Op [datum] zei brigadier De Vries dat ik moest oprotten. Bel me op [telefoonnummer]."
    )
    assert slots[STAP] == "samenvatting" and slots[OPEN] is None
    # The rule runs the summary next: it shows the edited story and is not checked again.
    said, payloads, _ = _run(submission.ActionSamenvatting(), slots)
    assert "Op [datum] zei brigadier De Vries" in said and "/verstuur" in payloads
    assert "anoniem blijven" not in said


def test_replace_all_and_keep_all() -> None:
    _, _, open_ = _run(submission.ActionSamenvatting(), SLOTS)
    _, _, after = _kies(open_, "vervang alles")
    assert after["beschrijving"] == (
        "Op [datum] zei brigadier [naam] dat ik moest oprotten. Bel me op [telefoonnummer]."
    )
    said, _, after = _kies(open_, "laat alles")
    assert after["beschrijving"] == VERHAAL and "blijft zoals je het schreef" in said
    assert after[GECONTROLEERD]  # approved: the summary does not ask again


def test_an_old_button_asks_the_open_word_again() -> None:
    _, _, slots = _run(submission.ActionSamenvatting(), SLOTS)
    _, _, slots = _kies(slots, "laat 0")
    said, payloads, after = _kies(slots, "vervang 0")  # the first word's button, clicked again
    assert '"De Vries"' in said and after["beschrijving"] == VERHAAL and after[STAP] == "vragen"


def test_a_known_melder_is_not_checked() -> None:
    said, payloads, _ = _run(submission.ActionSamenvatting(), {**SLOTS, "anoniem": "nee"})
    assert "anoniem blijven" not in said and "/verstuur" in payloads


def test_a_clean_story_gets_one_reassuring_line_and_the_summary() -> None:
    schoon = {**SLOTS, "beschrijving": "Ze lachen me al maanden uit in de briefing."}
    said, payloads, after = _run(submission.ActionSamenvatting(), schoon)
    assert "Ik zag geen namen, plaatsen of nummers" in said and "/verstuur" in payloads
    assert after[GECONTROLEERD]


def test_a_changed_story_is_checked_again() -> None:
    _, _, open_ = _run(submission.ActionSamenvatting(), SLOTS)
    _, _, klaar = _kies(open_, "laat alles")
    gewijzigd = {**klaar, "beschrijving": "Collega Sanne Bakker pest me."}
    said, _, _ = _run(submission.ActionSamenvatting(), gewijzigd)
    assert "Sanne Bakker" in said and "anoniem blijven" in said


@pytest.mark.parametrize(
    ("typed", "keuze"),
    [
        ("alles vervangen", "vervang alles"),
        ("laat ze allemaal staan", "laat alles"),
        ("vervang dat woord maar", "vervang"),
        ("laten staan", "laat"),
        ("weet ik niet", ""),
    ],
)
def test_typed_choices(typed: str, keuze: str) -> None:
    assert getypte_keuze(typed) == keuze
