"""Check-ins in the chat (actions/checkin.py, actions/checkin_vraag.py): when the
question is asked after the status, what each button does, and what is sent."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import backend_client, checkin, follow_up, melder_agent

MELDCODE = "7KQ4-M2XD-9RTA-HB3C-W5NP"
STATUS: dict[str, Any] = {
    "melding_id": "m1",
    "loket": "vertrouwenspersoon",
    "loket_naam": "Vertrouwenspersoon",
    "status": "bevestigd",
    "termijn_soort": "geen",
    "ontvangen_op": "2026-09-01T10:00:00+00:00",
    "bevestigen_voor": None,
    "terugkoppeling_voor": None,
    "bevestigd_op": None,
    "berichten": [],
    "loket_sleutel": {"kid": "0123456789abcdef", "public_key": "x"},
    "checkin": {"moment": 3, "open_tot": "2027-03-01T10:00:00+00:00", "beantwoord": False},
    "checkin_momenten": [],
    "checkin_volgende": "2027-03-01T10:00:00+00:00",
}


def tracker(entities: list[dict[str, Any]] | None = None, **slots: Any) -> Tracker:
    message = {"intent": {"name": "checkin_antwoord"}, "entities": entities or []}
    all_slots = {"meldcode": melder_agent.seal_for_slot(MELDCODE), **slots}
    return Tracker("t", all_slots, message, [], False, None, {}, "")


def run(action: Any, track: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, {}))
    return dispatcher.messages, events


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    calls: list[tuple[str, str | None]] = []

    async def fake_checkin(meldcode: str, antwoord: str, tekst: str | None = None) -> Any:
        assert meldcode == MELDCODE
        calls.append((antwoord, tekst))
        return {"melding_id": "m1", "moment": 3, "volgende": "2027-03-01T10:00:00+00:00"}

    async def fake_status(meldcode: str) -> Any:
        return STATUS

    monkeypatch.setattr(melder_agent, "melder_checkin", fake_checkin)
    monkeypatch.setattr(melder_agent, "melder_status", fake_status)
    return calls


def test_the_status_asks_the_open_check_in_with_a_button_for_every_answer(
    sent: list[Any],
) -> None:
    messages, _ = run(follow_up.ActionToonStatus(), tracker())
    texts = [m["text"] for m in messages]
    assert "3 maanden" in texts[-1] and "nadelige gevolgen in je werk?" in texts[-1]
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert payloads == [
        '/checkin_antwoord{"checkin_antwoord": "nee"}',
        '/checkin_antwoord{"checkin_antwoord": "ja"}',
        '/checkin_antwoord{"checkin_antwoord": "weet_niet"}',
        "/checkin_later",
    ]
    assert not any(m.get("buttons") for m in messages[:-1])  # one set of buttons at a time
    assert sent == []  # asking sends nothing


@pytest.mark.parametrize(
    "change", [{"checkin": None}, {"checkin": {**STATUS["checkin"], "beantwoord": True}}]
)
def test_no_question_when_none_is_open_or_it_was_answered(
    sent: list[Any], monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    async def status(meldcode: str) -> Any:
        return {**STATUS, **change}

    monkeypatch.setattr(melder_agent, "melder_status", status)
    messages, _ = run(follow_up.ActionToonStatus(), tracker())
    assert not any("nadelige gevolgen" in m["text"] for m in messages)
    assert any("/melder_schrijf" in b["payload"] for b in messages[-1]["buttons"])


@pytest.mark.parametrize("antwoord", ["nee", "weet_niet"])
def test_no_and_dont_know_are_sent_at_once(sent: list[Any], antwoord: str) -> None:
    entity = {"entity": "checkin_antwoord", "value": antwoord}
    messages, _ = run(checkin.ActionCheckinAntwoord(), tracker([entity]))
    assert sent == [(antwoord, None)]
    text = "\n".join(m["text"] for m in messages)
    assert "Dank je voor je antwoord" in text and "1 maart 2027" in text


def test_yes_explains_first_and_sends_after_the_optional_text(sent: list[Any]) -> None:
    entity = {"entity": "checkin_antwoord", "value": "ja"}
    messages, events = run(checkin.ActionCheckinAntwoord(), tracker([entity]))
    assert sent == []
    text = "\n".join(m["text"] for m in messages)
    assert "vertrouwenspersoon" in text and "beschermt de wet" in text
    assert [b["payload"] for b in messages[-1]["buttons"]] == [
        "/checkin_vertel",
        "/checkin_zonder_tekst",
    ]
    assert any(e.get("name") == "checkin_antwoord" and e.get("value") == "ja" for e in events)

    run(
        checkin.ActionCheckinVerstuur(),
        tracker(checkin_antwoord="ja", checkin_tekst="Ik word genegeerd."),
    )
    assert sent == [("ja", "Ik word genegeerd.")]


def test_nothing_is_sent_without_a_chosen_yes(sent: list[Any]) -> None:
    messages, _ = run(checkin.ActionCheckinVerstuur(), tracker(checkin_antwoord=None))
    assert sent == [] and "Kies een antwoord" in messages[0]["text"]


def test_a_refusal_of_the_backend_is_explained(
    sent: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused(meldcode: str, antwoord: str, tekst: str | None = None) -> Any:
        raise backend_client.BackendUnavailable(
            "HTTP 409", status=409, nl="Je hebt deze vraag al beantwoord. Dank je wel."
        )

    monkeypatch.setattr(melder_agent, "melder_checkin", refused)
    entity = {"entity": "checkin_antwoord", "value": "nee"}
    messages, _ = run(checkin.ActionCheckinAntwoord(), tracker([entity]))
    assert messages[0]["text"] == "Je hebt deze vraag al beantwoord. Dank je wel."


def test_later_leaves_the_question_open(sent: list[Any]) -> None:
    messages, _ = run(checkin.ActionCheckinLater(), tracker())
    assert sent == [] and "later" in messages[0]["text"]
    assert any(b["payload"] == "/goodbye" for b in messages[0]["buttons"])
