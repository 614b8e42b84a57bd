"""Issue 12, the missing paths in the action server: after hours, the aspirant's own
routes, and the leader's further steps."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import office_hours
from actions.advice import ActionRouteadvies
from actions.conversation import ActionWilPraten
from actions.personas import advice_buttons, utter_guidance
from actions.submission import after_hours_notice

TUESDAY_MORNING = datetime(2026, 12, 1, 10, 30, tzinfo=office_hours.AMSTERDAM)
TUESDAY_NIGHT = datetime(2026, 12, 1, 23, 15, tzinfo=office_hours.AMSTERDAM)
SATURDAY_NOON = datetime(2026, 12, 5, 12, 0, tzinfo=office_hours.AMSTERDAM)


@pytest.mark.parametrize(
    ("moment", "outside"),
    [(TUESDAY_MORNING, False), (TUESDAY_NIGHT, True), (SATURDAY_NOON, True),
     (datetime(2026, 12, 1, 7, 59, tzinfo=office_hours.AMSTERDAM), True),
     (datetime(2026, 12, 1, 17, 0, tzinfo=office_hours.AMSTERDAM), True)],
)  # fmt: skip
def test_office_hours_are_working_days_eight_to_five(moment: datetime, outside: bool) -> None:
    assert office_hours.outside_office_hours(moment) is outside


@pytest.mark.parametrize(
    ("day", "outside"),
    [((2026, 12, 25), True), ((2026, 4, 6), True), ((2026, 4, 27), True), ((2026, 5, 5), True),
     ((2027, 5, 6), True), ((2027, 5, 17), True), ((2027, 1, 1), True),
     ((2026, 4, 3), False),  # Goede Vrijdag: not a holiday of the Algemene termijnenwet
     ((2026, 12, 24), False)],
)  # fmt: skip
def test_public_holidays_are_outside_office_hours(day: tuple[int, int, int], outside: bool) -> None:
    """Christmas, Easter and Whit Monday, Koningsdag, 5 May, Ascension, New Year: the
    melder who writes at 10.30 on such a day hears the loket reads it on a working day."""
    moment = datetime(*day, 10, 30, tzinfo=office_hours.AMSTERDAM)
    assert moment.weekday() < 5  # a weekday: only the holiday makes it outside
    assert office_hours.outside_office_hours(moment) is outside


def test_easter_falls_on_the_known_sundays() -> None:
    known = {2024: (3, 31), 2025: (4, 20), 2026: (4, 5), 2027: (3, 28), 2038: (4, 25)}
    for year, (month, day) in known.items():
        assert office_hours.easter_sunday(year) == datetime(year, month, day).date()


def test_koningsdag_moves_to_saturday_when_the_27th_is_a_sunday() -> None:
    assert datetime(2025, 4, 26).date() in office_hours.public_holidays(2025)
    assert datetime(2025, 4, 27).date() not in office_hours.public_holidays(2025)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(office_hours, "now", lambda: moment)


def _praten(eenheid: str = "rotterdam") -> list[str]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker("t", {"eenheid": eenheid}, {}, [], False, None, {}, "")
    asyncio.run(ActionWilPraten().run(dispatcher, tracker, {}))
    return [m["text"] for m in dispatcher.messages]


def test_talking_at_night_says_the_vertrouwenspersoon_is_there_on_working_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _at(monkeypatch, TUESDAY_NIGHT)
    said = "\n".join(_praten())
    assert "vertrouwenspersoon van Rotterdam" in said
    assert "buiten kantoortijd" in said and "op werkdagen" in said
    assert "113" in said and "huisartsenpost" in said


def test_talking_by_day_still_names_113_and_the_huisartsenpost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _at(monkeypatch, TUESDAY_MORNING)
    said = "\n".join(_praten())
    assert "buiten kantoortijd" not in said
    assert "113" in said and "huisartsenpost" in said


def test_a_melding_sent_at_night_is_read_on_a_working_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for moment, expected in ((SATURDAY_NOON, 1), (TUESDAY_MORNING, 0)):
        _at(monkeypatch, moment)
        dispatcher = CollectingDispatcher()
        after_hours_notice(dispatcher)
        assert len(dispatcher.messages) == expected
    _at(monkeypatch, TUESDAY_NIGHT)
    dispatcher = CollectingDispatcher()
    after_hours_notice(dispatcher)
    assert "op een werkdag" in dispatcher.messages[0]["text"]


def _guidance(rol_ander: str | None) -> str:
    dispatcher = CollectingDispatcher()
    utter_guidance(dispatcher, "aspirant", "machtsmisbruik", rol_ander=rol_ander)
    return "\n".join(m["text"] for m in dispatcher.messages)


def test_an_aspirant_hears_about_the_beoordeling_and_the_lop() -> None:
    for rol_ander in (None, "begeleider"):
        said = _guidance(rol_ander)
        assert "beoordeling" in said and "LOP" in said and "buiten je team" in said
    # A story about a fellow student: the assessor is not the other, so no word on it.
    said = _guidance("collega")
    assert "buiten je team" in said and "beoordeling" not in said


def test_only_a_leader_gets_the_further_steps_with_the_advice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert advice_buttons("leidinggevende")[0]["payload"] == "/leidinggevende_meer_stappen"
    assert advice_buttons("betrokkene") == [] and advice_buttons(None) == []

    async def advies(_: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"loket": "udr_kernteam", "naam": "Kernteam UDR", "waarom": "Advies.",
                 "ontvangt_digitaal": True}]  # fmt: skip

    monkeypatch.setattr("actions.backend_client.routeadvies", advies)
    for rol, expected in (("leidinggevende", True), ("betrokkene", False)):
        dispatcher = CollectingDispatcher()
        slots = {"rol_melder": rol, "categorie": "uitsluiting"}
        tracker = Tracker("t", slots, {}, [], False, None, {}, "")
        asyncio.run(ActionRouteadvies().run(dispatcher, tracker, {}))
        payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
        assert ("/leidinggevende_meer_stappen" in payloads) is expected
        assert "/wil_praten" in payloads
