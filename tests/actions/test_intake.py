"""Action-server logic in the bot environment: typed answers, routing request, sealing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake_answers import OPTIONS, match_typed_answer
from actions.intake_form import ValidateIntakeForm, ValidateMeldingForm, match_eenheid
from actions.melding import build_melding, routing_request, sealed_submission
from actions.questions import answer_buttons
from actions.routeboekje_data import categorie_codes, eenheid_codes
from envelope.melder_key import melder_keys
from envelope.sealing import b64e, envelope_header, generate_keypair, key_id, open_sealed


@pytest.mark.parametrize(
    ("slot", "typed", "expected"),
    [
        ("rol_melder", "ik zag het bij een collega", "omstander"),
        ("rol_melder", "ik ben aspirant op de PA", "aspirant"),
        ("rol_melder", "het overkwam mij", "betrokkene"),
        ("sinds_wanneer", "al een paar maanden", "maanden"),
        ("sinds_wanneer", "al jaren eigenlijk", "jaar_of_langer"),
        ("rol_ander", "mijn eigen OE", "eigen_leidinggevende"),
        ("rol_ander", "de praktijkbegeleider", "begeleider"),
        ("eerder_gemeld", "ja maar er is niks mee gedaan", "ja_geen_reactie"),
        ("eerder_gemeld", "nee nog niet", "nee"),
        ("wens", "ik wil dat het onderzocht wordt", "onderzoek"),
        ("anoniem", "liever niet, anoniem graag", "ja"),
        ("anoniem", "mijn naam mag bekend zijn", "nee"),
    ],
)
def test_typed_answers_map_to_the_right_option(slot: str, typed: str, expected: str) -> None:
    assert match_typed_answer(slot, typed) == expected


def test_unclear_typed_answer_is_not_guessed() -> None:
    assert match_typed_answer("wens", "banaan") is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Rotterdam", "rotterdam"),
        ("ik werk in den haag", "den-haag"),
        ("Zeeland-West-Brabant", "zeeland-west-brabant"),
        ("ZWB", "zeeland-west-brabant"),
        ("bij de landelijke eenheid", "landelijke-eenheid"),
        ("Politiedienstencentrum (PDC)", "pdc"),
    ],
)
def test_typed_eenheid_is_recognised(typed: str, code: str) -> None:
    assert match_eenheid(typed) == code


def test_every_question_offers_a_button_per_answer() -> None:
    for slot, options in OPTIONS.items():
        payloads = [json.loads(b["payload"].removeprefix("/inform")) for b in answer_buttons(slot)]
        assert [p[slot] for p in payloads] == [value for value, _ in options]
    assert len(answer_buttons("eenheid")) == 14 == len(eenheid_codes())
    assert len(categorie_codes()) == 19


def test_routing_request_follows_the_contract() -> None:
    request = routing_request(
        {
            "categorie": "machtsmisbruik",
            "eenheid": "politieacademie",
            "rol_melder": "aspirant",
            "rol_ander": "eigen_leidinggevende",
            "eerder_gemeld": "weet_niet",
            "wens": "advies",
            "anoniem": "ja",
        }
    )
    assert request == {
        "categorie": "machtsmisbruik",
        "eenheid": "politieacademie",
        "rol_melder": "betrokkene",
        "aspirant": True,
        "eigen_leidinggevende_betrokken": True,
        "eerder_gemeld": "nee",
        "wens": "advies",
        "anoniem": True,
    }


def test_sealed_submission_opens_to_the_structured_melding() -> None:
    private, public = generate_keypair()
    key = {"kid": key_id(public), "public_key": b64e(public)}
    slots = {"categorie": "pesten", "beschrijving": "Ze lachen me uit.", "eenheid": "limburg"}
    melding = build_melding(
        slots, "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90", "vik", "2026-11-26T10:00:00+00:00"
    )
    melder = melder_keys("7KQ4-M2XD-9RTA-HB3C-W5NP")
    body = sealed_submission(melding, key, melder)
    assert "Ze lachen" not in json.dumps(body)
    assert "meldcode" not in body and "W5NP" not in json.dumps(body)
    opened_by_melder = open_sealed(
        body["sealed"], envelope_header(body["envelope"]), melder.private_key
    )
    assert json.loads(opened_by_melder)["beschrijving"] == "Ze lachen me uit."
    opened = json.loads(open_sealed(body["sealed"], envelope_header(body["envelope"]), private))
    assert opened["beschrijving"] == "Ze lachen me uit."
    assert opened["schema"] == "meldwijzer.melding/1"
    assert opened["sinds_wanneer"] == "weet_niet" and opened["anoniem"] is True


def _validate(slot: str, value: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    melding = slot in ("sinds_wanneer", "anoniem", "toestemming_doorsturen")
    form = ValidateMeldingForm() if melding else ValidateIntakeForm()
    dispatcher = CollectingDispatcher()
    loop = {"name": "melding_form" if melding else "intake_form"}
    tracker = Tracker("t", {}, {}, [], False, None, loop, "")
    method = getattr(form, f"validate_{slot}")
    return method(value, dispatcher, tracker, {}), dispatcher.messages


def test_short_description_is_asked_again_kindly() -> None:
    result, messages = _validate("beschrijving", "pesten")
    assert result == {"beschrijving": None}
    assert "Namen zijn niet nodig" in messages[0]["text"]


def test_unclear_answer_is_asked_again_with_buttons_hint() -> None:
    result, messages = _validate("wens", "banaan")
    assert result == {"wens": None} and "knoppen" in messages[0]["text"]


def test_weet_niet_on_anonymity_keeps_the_melder_anonymous() -> None:
    result, _ = _validate("anoniem", "weet_niet")
    assert result["anoniem"] == "ja" and result["melder_naam"] is None


def test_unknown_eenheid_is_refused() -> None:
    result, _ = _validate("eenheid", "gotham city")
    assert result == {"eenheid": None}


def test_button_payload_is_never_taken_as_typed_text() -> None:
    result, _ = _validate("wens", '/inform{"wens": "banaan"}')
    assert result == {"wens": None}


def test_actions_are_registered_by_name() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    for name in (
        "action_luister",
        "action_routeadvies",
        "action_samenvatting",
        "action_verstuur_melding",
        "validate_intake_form",
        "validate_melding_form",
        "action_kies_loket",
        "action_meer_uitleg",
        "action_ask_eenheid",
    ):
        assert name in executor.actions
    asyncio.get_event_loop_policy()
