"""The bewaarmelding in the chat: what the melder reads, and the record the action
server seals (actions/bewaarmelding.py, envelope/bewaarmelding.py)."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.bewaarmelding import ActionBewaarMelding, bewaard_buttons, bewaard_text
from envelope import melder_key
from envelope.bewaarmelding import (
    bewaar_body,
    bewaar_header,
    bewaar_message,
    melding_met_aanvullingen,
    open_record,
    verzend_body,
)
from envelope.meldcode import new_meldcode
from envelope.melder_auth import submission_message
from envelope.melder_key import melder_keys, verify_signature
from envelope.sealing import SealError, b64d, b64e, generate_keypair, key_id, open_sealed

RECORD = {
    "schema": "meldwijzer.melding/1",
    "aangemaakt_op": "2026-11-26T10:00:00+00:00",
    "loket": "vertrouwenspersoon",
    "loket_naam": "Vertrouwenspersoon",
    "eenheid": "rotterdam",
    "categorie": "pesten",
    "beschrijving": "Ze lachen me uit bij de briefing.",
    "toestemming_doorsturen": False,
    "aanvullingen": [{"op": "2026-12-01T09:00:00+00:00", "tekst": "Gisteren weer."}],
    "identiteit": {"naam": "Sanne Voorbeeld", "contact": "06 12345678"},
}


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(melder_key, "_N", 2**10)


def test_the_summary_tells_when_it_was_written_down_and_when_it_goes() -> None:
    data = {
        "vastgelegd_op": "2026-11-26T10:00:00+00:00",
        "verloopt_op": "2027-11-26T10:00:00+00:00",
    }
    text = bewaard_text(data, RECORD)
    assert "26 november 2026" in text and "26 november 2027" in text
    assert "nog niet verstuurd" in text and "Geen loket kan hem lezen" in text
    assert "Ze lachen me uit" in text and "Gisteren weer." in text
    payloads = [b["payload"] for b in bewaard_buttons("vertrouwenspersoon")]
    assert payloads[:3] == [
        '/melder_schrijf{"bericht_soort":"bewaard"}',
        "/bewaard_versturen",
        "/bewaard_verwijderen",
    ]


def test_the_stored_record_opens_only_with_the_melders_key() -> None:
    keys = melder_keys(new_meldcode())
    bewaar_id = str(uuid.uuid4())
    body = bewaar_body(RECORD, bewaar_id, keys)
    assert [r["kid"] for r in body["sealed"]["recipients"]] == [keys.recipient.kid]
    assert verify_signature(
        keys.sleutel, b64d(body["melder_handtekening"]), bewaar_message(bewaar_id, body["sealed"])
    )
    assert open_record(body["sealed"], bewaar_id, keys) == RECORD
    with pytest.raises(SealError):  # bound to its id
        open_record(body["sealed"], str(uuid.uuid4()), keys)
    other = melder_keys(new_meldcode())
    with pytest.raises(SealError):
        open_sealed(body["sealed"], bewaar_header(bewaar_id), other.private_key)


def test_sending_seals_an_ordinary_melding_for_the_loket_with_the_additions() -> None:
    keys = melder_keys(new_meldcode())
    bewaar_id = str(uuid.uuid4())
    private, public = generate_keypair()
    loket = {"kid": key_id(public), "public_key": b64e(public)}
    body = verzend_body(RECORD, bewaar_id, loket, keys)
    assert body["envelope"]["melding_id"] == bewaar_id
    assert body["envelope"]["aangemaakt_op"] == RECORD["aangemaakt_op"]
    assert {r["kid"] for r in body["sealed"]["recipients"]} == {loket["kid"], keys.recipient.kid}
    melding = json.loads(open_sealed(body["sealed"], body["envelope"], private))
    assert melding == {**melding_met_aanvullingen(RECORD), "melding_id": bewaar_id}
    assert "Aanvulling (2026-12-01): Gisteren weer." in melding["beschrijving"]
    assert "identiteit" not in melding and "Sanne" not in json.dumps(melding)
    identiteit = open_sealed(
        body["sealed_identiteit"], {**body["envelope"], "deel": "identiteit"}, private
    )
    assert json.loads(identiteit) == RECORD["identiteit"]
    assert [r["kid"] for r in body["sealed_identiteit"]["recipients"]] == [loket["kid"]]
    signed = submission_message(bewaar_id, body["sealed"])
    assert verify_signature(keys.sleutel, b64d(body["melder_handtekening"]), signed)
    with pytest.raises(ValueError):
        verzend_body(RECORD, bewaar_id, {**loket, "kid": "0" * 16}, keys)


def test_storing_before_there_is_a_melding_stores_nothing_and_explains() -> None:
    dispatcher = CollectingDispatcher()
    tracker = Tracker("t", {}, {"text": "bewaar het voor later"}, [], False, None, {}, "")
    events = asyncio.run(ActionBewaarMelding().run(dispatcher, tracker, {}))
    assert events == []
    assert "nog niets om te bewaren" in dispatcher.messages[0]["text"]
    assert "/wil_vertellen" in [b["payload"] for b in dispatcher.messages[0]["buttons"]]
