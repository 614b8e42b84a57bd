"""Identity that works: asked only when the melder is known, sealed apart, never in clear."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import melder_agent, submission
from actions.backend_client import BackendUnavailable
from actions.identiteit import contact_soort, identiteit, naam_probleem, read_contact
from actions.identiteit_vragen import (
    ActionAskAnoniem,
    ActionAskMelderContact,
    ActionAskMelderNaam,
)
from actions.intake_form import ValidateMeldingForm
from actions.melding import build_melding, sealed_submission
from actions.outbox import Outbox
from envelope.meldcode import new_meldcode
from envelope.melder_key import melder_keys
from envelope.sealing import (
    SealError,
    b64e,
    envelope_header,
    generate_keypair,
    key_id,
    open_sealed,
)

CANARY = "Kanarie Testpersoon"
MELDING_ID = "3f1c2b9e-8a7d-4c61-9d0e-2b5f6a7c8d90"
ADVIES = [
    {"loket": "klachtencommissie", "naam": "Klachtencommissie", "ontvangt_digitaal": True,
     "anoniem_mogelijk": False},
    {"loket": "vertrouwenspersoon", "naam": "Vertrouwenspersoon", "ontvangt_digitaal": True,
     "anoniem_mogelijk": True},
    {"loket": "leidinggevende", "naam": "Je leidinggevende", "ontvangt_digitaal": False,
     "anoniem_mogelijk": False},
]  # fmt: skip
SLOTS = {
    "categorie": "pesten",
    "beschrijving": "Ze lachen me al maanden uit in de briefing.",
    "eenheid": "rotterdam",
    "anoniem": "nee",
    "melder_naam": CANARY,
    "melder_contact": "06 12345678",
}


def _tracker(slots: dict[str, Any], text: str = "", intent: str = "inform") -> Tracker:
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": [],
    }
    if text.startswith("/inform{"):
        entity, value = next(iter(json.loads(text[len("/inform") :]).items()))
        latest["entities"] = [{"entity": entity, "value": value}]
    return Tracker(
        "t", {"advies": ADVIES, **slots}, latest, [], False, None, {"name": "melding_form"}, ""
    )


def _texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m["text"] or "" for m in dispatcher.messages)


def _payloads(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("06 12345678", "06 12345678"),
        ("+31 6 1234 5678", "+31 6 1234 5678"),
        ("088-0000004", "088-0000004"),
        ("Naam@Voorbeeld.nl.", "naam@voorbeeld.nl"),
        ("alleen via mijn meldcode graag", "meldcode"),
        ("bel me maar", None),
        ("1234", None),
        ('/inform{"wens": "steun"}', None),
    ],
)
def test_contact_is_a_phone_number_an_email_or_the_meldcode(
    typed: str, expected: str | None
) -> None:
    assert read_contact(typed) == expected


def test_contact_kind() -> None:
    assert [contact_soort(c) for c in ("06 12345678", "a@b.nl", "meldcode", None)] == [
        "telefoon",
        "email",
        "meldcode",
        None,
    ]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("Sanne de Vries", None),
        ("Jean-Luc O'Neill", None),
        ("06 12345678", "naam_geen_contact"),
        ("sanne@voorbeeld.nl", "naam_geen_contact"),
        ("x", "naam_onduidelijk"),
        ("ik weet echt niet of ik dit wel wil doen eigenlijk", "naam_onduidelijk"),
        ('/inform{"anoniem": "ja"}', "naam_onduidelijk"),
    ],
)
def test_name_is_checked_gently(typed: str, problem: str | None) -> None:
    assert naam_probleem(typed) == problem


def test_anonymous_melding_has_no_identity() -> None:
    assert identiteit({**SLOTS, "anoniem": "ja"}) is None
    assert identiteit({**SLOTS, "anoniem": None}) is None
    assert identiteit(SLOTS) == {
        "schema": "meldwijzer.identiteit/1",
        "naam": CANARY,
        "telefoon": "06 12345678",
    }
    via_code = identiteit({**SLOTS, "melder_contact": "meldcode"})
    assert via_code is not None and "meldcode" in via_code["bereikbaar"]


def test_identity_is_sealed_apart_to_the_loket_only() -> None:
    private, public = generate_keypair()
    key = {"kid": key_id(public), "public_key": b64e(public)}
    melding = build_melding(SLOTS, MELDING_ID, "klachtencommissie", "2026-11-26T10:00:00+00:00")
    assert CANARY not in json.dumps(melding)  # the content never holds the name
    melder = melder_keys(new_meldcode())
    body = sealed_submission(melding, key, melder, identiteit=identiteit(SLOTS))
    assert CANARY not in json.dumps(body) and "12345678" not in json.dumps(body)
    header = envelope_header(body["envelope"])
    opened = json.loads(
        open_sealed(body["sealed_identiteit"], {**header, "deel": "identiteit"}, private)
    )
    assert opened["naam"] == CANARY and opened["telefoon"] == "06 12345678"
    content = open_sealed(body["sealed"], header, private).decode()
    assert CANARY not in content and "12345678" not in content
    with pytest.raises(SealError):  # bound to its own part: not the content's header
        open_sealed(body["sealed_identiteit"], header, private)
    assert [r["kid"] for r in body["sealed_identiteit"]["recipients"]] == [key["kid"]]
    assert melder.recipient.kid in [r["kid"] for r in body["sealed"]["recipients"]]
    assert "sealed_identiteit" not in sealed_submission(melding, key, melder)


def _validate(slot: str, value: Any, slots: dict[str, Any]) -> tuple[dict[str, Any], str]:
    dispatcher = CollectingDispatcher()
    tracker = _tracker({**slots, "requested_slot": slot}, value if isinstance(value, str) else "")
    result = getattr(ValidateMeldingForm(), f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, _texts(dispatcher)


def test_a_klacht_cannot_stay_anonymous_and_the_melder_hears_why() -> None:
    result, said = _validate("anoniem", "ja", {"gekozen_loket": "klachtencommissie"})
    assert result == {"anoniem": None} and "kan dat niet" in said
    result, _ = _validate("anoniem", "ja", {"gekozen_loket": "vertrouwenspersoon"})
    assert result["anoniem"] == "ja" and result["melder_naam"] is None


def test_the_way_out_offers_name_an_anonymous_loket_or_stop() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker({"gekozen_loket": "klachtencommissie"})
    asyncio.run(ActionAskAnoniem().run(dispatcher, tracker, {}))
    assert "met je naam" in _texts(dispatcher)
    assert _payloads(dispatcher) == [
        '/inform{"anoniem": "nee"}',
        '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}',
        "/stop",
    ]
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskAnoniem().run(dispatcher, _tracker({"gekozen_loket": "vik"}), {}))
    assert "Wil je anoniem blijven" in _texts(dispatcher)
    # No advised loket takes it anonymously: then only the name or stopping.
    dispatcher = CollectingDispatcher()
    alleen = Tracker("t", {"advies": ADVIES[:1], "gekozen_loket": "klachtencommissie"}, {},
                     [], False, None, {"name": "melding_form"}, "")  # fmt: skip
    asyncio.run(ActionAskAnoniem().run(dispatcher, alleen, {}))
    assert _payloads(dispatcher) == ['/inform{"anoniem": "nee"}', "/stop"]
    assert "ander loket" not in _texts(dispatcher)


def test_stay_anonymous_at_the_name_question_of_a_klacht_explains_and_asks_again() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker({"gekozen_loket": "klachtencommissie", "anoniem": "nee"})
    asyncio.run(ActionAskMelderNaam().run(dispatcher, tracker, {}))
    assert _payloads(dispatcher) == ['/inform{"anoniem": "ja"}']
    payload = '/inform{"anoniem": "ja"}'
    tracker = _tracker({"gekozen_loket": "klachtencommissie", "requested_slot": "melder_naam"},
                       payload)  # fmt: skip
    extracted = asyncio.run(
        ValidateMeldingForm().extract_anoniem(CollectingDispatcher(), tracker, {})
    )
    result, said = _validate(
        "anoniem", extracted["anoniem"], {"gekozen_loket": "klachtencommissie"}
    )
    assert result == {"anoniem": None} and "kan dat niet" in said  # the way out is asked next


def test_only_via_the_meldcode_where_the_loket_accepts_anonymous_meldingen() -> None:
    for loket, offered in (("vertrouwenspersoon", True), ("klachtencommissie", False)):
        dispatcher = CollectingDispatcher()
        tracker = _tracker({"gekozen_loket": loket})
        asyncio.run(ActionAskMelderContact().run(dispatcher, tracker, {}))
        assert ('/inform{"melder_contact": "meldcode"}' in _payloads(dispatcher)) is offered
    result, said = _validate("melder_contact", "meldcode", {"gekozen_loket": "klachtencommissie"})
    assert result == {"melder_contact": None} and "telefoonnummer of e-mailadres" in said
    result, _ = _validate("melder_contact", "meldcode", {"gekozen_loket": "vertrouwenspersoon"})
    assert result == {"melder_contact": "meldcode"}
    result, said = _validate("melder_contact", "bel me", {"gekozen_loket": "vertrouwenspersoon"})
    assert result == {"melder_contact": None} and "Typ bijvoorbeeld" in said


def test_name_questions_are_asked_only_when_the_melder_is_known() -> None:
    form = ValidateMeldingForm()
    domain_slots = ["gekozen_loket", "sinds_wanneer", "anoniem", "melder_naam", "melder_contact",
                    "toestemming_doorsturen"]  # fmt: skip
    for anoniem, asked in ((None, False), ("ja", False), ("nee", True)):
        tracker = _tracker({"anoniem": anoniem})
        slots = asyncio.run(form.required_slots(domain_slots, CollectingDispatcher(), tracker, {}))
        assert ("melder_naam" in slots and "melder_contact" in slots) is asked


def test_stay_anonymous_button_at_the_name_question() -> None:
    payload = '/inform{"anoniem": "ja"}'
    tracker = _tracker({"anoniem": "nee", "requested_slot": "melder_naam"}, payload)
    form = ValidateMeldingForm()
    extracted = asyncio.run(form.extract_anoniem(CollectingDispatcher(), tracker, {}))
    assert extracted == {"anoniem": "ja"}
    result, said = _validate("melder_naam", payload, {"anoniem": "nee"})
    assert result == {"melder_naam": None} and said == ""  # no "that is no name" scolding
    result, said = _validate("melder_naam", "06 12345678", {"anoniem": "nee"})
    assert result == {"melder_naam": None} and "alleen je naam" in said
    result, _ = _validate("melder_naam", "  Sanne   de Vries ", {"anoniem": "nee"})
    assert result == {"melder_naam": "Sanne de Vries"}


def test_choosing_a_loket_that_needs_a_name_asks_anonymity_again() -> None:
    slots = {"anoniem": "ja", "melder_contact": None}
    result, _ = _validate("gekozen_loket", "klachtencommissie", slots)
    assert result == {"gekozen_loket": "klachtencommissie", "anoniem": None}
    result, _ = _validate("gekozen_loket", "vertrouwenspersoon", slots)
    assert result == {"gekozen_loket": "vertrouwenspersoon"}


def test_summary_shows_name_and_contact_with_a_way_to_correct_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_key(loket: str, eenheid: str) -> None:
        return None

    monkeypatch.setattr(submission, "_loket_key", no_key)
    monkeypatch.setattr(submission.prepared_meldcodes(), "prepare", lambda melding_id: None)
    slots = {**SLOTS, "gekozen_loket": "vertrouwenspersoon", "melding_id": MELDING_ID}
    dispatcher = CollectingDispatcher()
    asyncio.run(submission.ActionSamenvatting().run(dispatcher, _tracker(slots), {}))
    said = _texts(dispatcher)
    assert f"Naam: {CANARY}" in said and "06 12345678" in said and "apart versleuteld" in said
    assert "bereikt je via je meldcode" not in said
    dispatcher = CollectingDispatcher()
    asyncio.run(submission.ActionVraagAanpassing().run(dispatcher, _tracker(slots), {}))
    assert '/corrigeer{"veld":"melder_naam"}' in _payloads(dispatcher)
    assert '/corrigeer{"veld":"melder_contact"}' in _payloads(dispatcher)
    dispatcher = CollectingDispatcher()
    anonymous = {**slots, "anoniem": "ja", "melder_naam": None, "melder_contact": None}
    asyncio.run(submission.ActionSamenvatting().run(dispatcher, _tracker(anonymous), {}))
    assert "Naam:" not in _texts(dispatcher) and "bereikt je via je meldcode" in _texts(dispatcher)
    dispatcher = CollectingDispatcher()
    asyncio.run(submission.ActionVraagAanpassing().run(dispatcher, _tracker(anonymous), {}))
    assert '/corrigeer{"veld":"melder_naam"}' not in _payloads(dispatcher)


def test_corrected_name_is_asked_again() -> None:
    tracker = _tracker(SLOTS, '/corrigeer{"veld":"melder_naam"}', intent="corrigeer")
    tracker.latest_message["entities"] = [{"entity": "veld", "value": "melder_naam"}]
    events = asyncio.run(submission.ActionCorrigeer().run(CollectingDispatcher(), tracker, {}))
    assert {"event": "slot", "timestamp": None, "name": "melder_naam", "value": None} in events


def test_identity_survives_the_outbox_sealed_and_is_forgotten_after_sending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private, public = generate_keypair()
    key = {"kid": key_id(public), "public_key": b64e(public)}
    outbox = Outbox(tmp_path / "outbox.sqlite3")

    async def loket_key(loket: str, eenheid: str) -> dict[str, Any]:
        return key

    async def down(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        raise BackendUnavailable("down")

    monkeypatch.setattr(submission, "_loket_key", loket_key)
    monkeypatch.setattr(submission, "default_outbox", lambda: outbox)
    monkeypatch.setattr(submission.backend_client, "submit_melding", down)
    meldcode = new_meldcode()
    slots = {**SLOTS, "gekozen_loket": "klachtencommissie", "melding_id": MELDING_ID,
             "meldcode": melder_agent.seal_for_slot(meldcode)}  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = asyncio.run(submission.ActionVerstuurMelding().run(dispatcher, _tracker(slots), {}))
    assert meldcode in _texts(dispatcher)
    forgotten = {e["name"] for e in events if e.get("event") == "slot" and e["value"] is None}
    assert {"melder_naam", "melder_contact"} <= forgotten
    ((_, body, _),) = outbox.due()
    header = envelope_header(body["envelope"])
    opened = json.loads(
        open_sealed(body["sealed_identiteit"], {**header, "deel": "identiteit"}, private)
    )
    assert opened["naam"] == CANARY
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert CANARY.encode() not in raw and b"12345678" not in raw


IDENTITY_TEXTS = (
    "naam_nodig", "naam_nodig_geen_ander", "niet_anoniem_bij_loket", "anoniem_kan_hier_niet",
    "vraag_melder_naam",
    "naam_onduidelijk", "naam_geen_contact", "naam_weet_niet", "vraag_melder_contact",
    "vraag_melder_contact_of_meldcode", "contact_onduidelijk", "contact_nodig",
    "contact_via_meldcode", "samenvatting_identiteit", "klopt_dit_met_naam",
)  # fmt: skip


def test_every_identity_text_has_a_source() -> None:
    import yaml

    from actions.texts import TEXTS, texts
    from backend.content.sources import parse_all

    bronnen = yaml.safe_load((TEXTS.parent / "bronnen" / "texts.yml").read_text(encoding="utf-8"))
    for key in IDENTITY_TEXTS:
        assert key in texts(), key
        parse_all(bronnen[key])  # raises on a missing or malformed source
