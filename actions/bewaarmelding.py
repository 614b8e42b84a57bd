"""Bewaarmelding in the chat: store the melding sealed to the melder only, and later
open it, add to it, send it or delete it with the meldcode (docs/bewaarmelding.md).

The action server is the melder's agent here, as in actions/melder_agent.py: it
draws the meldcode, derives the melder's keys, seals the record to the melder's own
key (no loket key) and signs. For the follow-up it signs a fresh challenge, opens
the record in memory, and seals it again — to the melder only when adding, or as an
ordinary melding to the loket and the melder when sending. Nothing is stored here.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import backend_client, melder_agent
from actions.base import KLAAR, PRATEN, Dispatcher, Events, NamedAction, button
from actions.identiteit import identiteit
from actions.melding import build_melding, now_iso
from actions.prepared_meldcodes import prepared_meldcodes
from actions.routeboekje_data import loket_naam
from actions.submission import (
    _forget_identity,
    _loket_key,
    _slots,
    after_hours_notice,
    choosable,
)
from actions.termijn_tekst import datum, wat_nu
from actions.texts import say, text
from envelope.bewaarmelding import bewaar_body, open_record, seal_record, verzend_body
from envelope.meldcode import is_legacy, new_meldcode
from envelope.melder_auth import signed_request
from envelope.melder_key import MelderKeys, melder_keys

# The backend's error code when a meldcode belongs to a bewaarmelding (backend/api/melder.py).
IS_BEWAARMELDING = "bewaarmelding"
MAX_KORT = 300  # characters of the description shown back in the summary

PATHS = {
    "bewaard_openen": "/api/v1/melder/bewaard/openen",
    "bewaard_aanvullen": "/api/v1/melder/bewaard/aanvullen",
    "bewaard_verwijderen": "/api/v1/melder/bewaard/verwijderen",
    "bewaard_versturen": "/api/v1/melder/bewaard/versturen",
}


def bewaard_buttons(loket: str) -> list[dict[str, str]]:
    return [
        button("Iets toevoegen", '/melder_schrijf{"bericht_soort":"bewaard"}'),
        button(f"Nu versturen naar {loket_naam(loket)}", "/bewaard_versturen"),
        button("Verwijderen", "/bewaard_verwijderen"),
        KLAAR,
    ]


# After storing: the meldcode is still in this conversation (sealed), so "bekijken"
# opens the record at once (the meldcode form finds its slot filled).
AFTER_STORING = [button("Bekijk mijn bewaarde melding", "/heb_meldcode"), PRATEN, KLAAR]
AFTER_SENDING = [PRATEN, KLAAR]


# --- the melder's side: signed requests, the record opened and sealed here ---------------


async def _keys(meldcode: str) -> MelderKeys:
    return await asyncio.to_thread(melder_keys, meldcode)


async def _signed(keys: MelderKeys, actie: str, body: dict[str, Any] | None = None) -> Any:
    challenge = await backend_client.uitdaging()
    return await backend_client.melder_signed(
        PATHS[actie], signed_request(keys, actie, challenge, body)
    )


async def open_bewaard(keys: MelderKeys) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the backend's answer without the ciphertext, the opened record)."""
    data = await _signed(keys, "bewaard_openen")
    record = open_record(data.pop("sealed"), data["bewaar_id"], keys)
    return data, record


def _kort(tekst: str) -> str:
    tekst = " ".join(tekst.split())
    return tekst if len(tekst) <= MAX_KORT else tekst[: MAX_KORT - 1].rstrip() + "…"


def bewaard_text(data: dict[str, Any], record: dict[str, Any]) -> str:
    """The short summary of a bewaarmelding the melder opened."""
    lines = [
        text("bewaard_kop", vastgelegd_op=datum(data["vastgelegd_op"])),
        text(
            "bewaard_inhoud",
            beschrijving=_kort(str(record.get("beschrijving") or "")),
            loket=loket_naam(record["loket"]),
        ),
    ]
    for aanvulling in record.get("aanvullingen") or []:
        lines.append(f"• {datum(aanvulling['op'])}: {_kort(str(aanvulling['tekst']))}")
    lines.append(text("bewaard_verloopt", verloopt_op=datum(data["verloopt_op"])))
    return "\n".join(lines)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


async def voeg_toe(meldcode: str, tekst: str) -> None:
    keys = await _keys(meldcode)
    data, record = await open_bewaard(keys)
    record["aanvullingen"] = [*(record.get("aanvullingen") or []), {"op": _now(), "tekst": tekst}]
    sealed = seal_record(record, data["bewaar_id"], keys)
    await _signed(keys, "bewaard_aanvullen", {"sealed": sealed})


async def verstuur(meldcode: str) -> tuple[dict[str, Any], str]:
    """Send it to the loket chosen in the record; (the backend's answer, loket code)."""
    keys = await _keys(meldcode)
    data, record = await open_bewaard(keys)
    key = await backend_client.public_key(record["loket"], record["eenheid"])
    body = verzend_body(record, data["bewaar_id"], key, keys)
    stored: dict[str, Any] = await _signed(keys, "bewaard_versturen", body)
    return stored, str(record["loket"])


# --- storing at the end of the intake ---------------------------------------------------


class ActionBewaarMelding(NamedAction):
    """ "Eerst alleen bewaren": seal the melding to the melder's own key and store it."""

    action_name = "action_bewaar_melding"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        loket = tracker.get_slot("gekozen_loket")
        if loket not in choosable(tracker) or not tracker.get_slot("beschrijving"):
            # Typed before there is a melding to keep: nothing to store yet.
            say(
                dispatcher,
                "bewaren_nog_niet",
                buttons=[
                    button("Ik wil vertellen wat er is gebeurd", "/wil_vertellen"),
                    button("Ik heb een meldcode", "/heb_meldcode"),
                ],
            )
            return []
        bewaar_id = tracker.get_slot("melding_id") or str(uuid.uuid4())
        prepared = prepared_meldcodes()
        meldcode = (
            melder_agent.open_from_slot(tracker.get_slot("meldcode"))
            or prepared.meldcode(bewaar_id)
            or new_meldcode()
        )
        events: list[EventType] = [
            SlotSet("melding_id", bewaar_id),
            SlotSet("meldcode", melder_agent.seal_for_slot(meldcode)),
        ]
        slots = _slots(tracker)
        record = build_melding(slots, bewaar_id, loket, now_iso())
        record["loket_naam"] = loket_naam(loket)
        details = identiteit(slots)
        if details is not None:
            record["identiteit"] = details  # sealed apart to the loket only when sent
        keys = await prepared.melder_keys(meldcode, bewaar_id)
        try:
            stored = await backend_client.bewaar_melding(bewaar_body(record, bewaar_id, keys))
        except backend_client.BackendUnavailable:
            say(
                dispatcher,
                "bewaren_lukt_niet",
                buttons=[
                    button("Opnieuw proberen", "/bewaar_melding"),
                    button("Nu versturen", "/verstuur"),
                    button("Niet versturen", "/alleen_informatie"),
                ],
            )
            return events
        # Prefetch the loket's key: sending later in this conversation works offline too.
        await _loket_key(loket, slots["eenheid"])
        say(dispatcher, "bewaard")
        say(dispatcher, "bewaard_meldcode", meldcode=meldcode)
        say(
            dispatcher,
            "bewaard_wat_nu",
            verloopt_op=datum(stored["verloopt_op"]),
            buttons=AFTER_STORING,
        )
        return [*events, *_forget_identity(), SlotSet("fase", "verstuurd")]


# --- the follow-up with the meldcode ----------------------------------------------------


def _meldcode(tracker: Tracker) -> str | None:
    code = melder_agent.open_from_slot(tracker.get_slot("meldcode"))
    return None if code is None or is_legacy(code) else code


def _problem(dispatcher: Dispatcher, error: backend_client.BackendUnavailable) -> Events:
    from actions.follow_up import _backend_problem  # follow_up imports this module

    return _backend_problem(dispatcher, error)


def _forgotten(dispatcher: Dispatcher) -> Events:
    from actions.follow_up import _code_forgotten

    return _code_forgotten(dispatcher)


def _show(dispatcher: Dispatcher, data: dict[str, Any], record: dict[str, Any]) -> None:
    buttons = bewaard_buttons(record["loket"])
    dispatcher.utter_message(text=bewaard_text(data, record), buttons=buttons)


async def toon_bewaard(dispatcher: Dispatcher, meldcode: str) -> Events:
    """Called from action_toon_status when the code belongs to a bewaarmelding."""
    try:
        data, record = await open_bewaard(await _keys(meldcode))
    except backend_client.BackendUnavailable as error:
        return _problem(dispatcher, error)
    _show(dispatcher, data, record)
    return [SlotSet("fase", "volgen")]


async def voeg_toe_en_zeg(dispatcher: Dispatcher, tracker: Tracker) -> Events:
    """Called from action_verstuur_bericht for bericht_soort "bewaard"."""
    meldcode = _meldcode(tracker)
    events: list[EventType] = [SlotSet("bericht_tekst", None)]
    if meldcode is None:
        return [*events, *_forgotten(dispatcher)]
    try:
        await voeg_toe(meldcode, str(tracker.get_slot("bericht_tekst") or ""))
        data, record = await open_bewaard(await _keys(meldcode))
    except backend_client.BackendUnavailable as error:
        return [*events, *_problem(dispatcher, error)]
    say(dispatcher, "bewaard_toegevoegd")
    _show(dispatcher, data, record)
    return events


class ActionBewaardVersturen(NamedAction):
    action_name = "action_bewaard_versturen"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        meldcode = _meldcode(tracker)
        if meldcode is None:
            return _forgotten(dispatcher)
        try:
            stored, loket = await verstuur(meldcode)
        except backend_client.BackendUnavailable as error:
            return _problem(dispatcher, error)
        naam = loket_naam(loket)
        vastgelegd_op = datum(stored["vastgelegd_op"])
        say(dispatcher, "bewaard_verstuurd", naam=naam, vastgelegd_op=vastgelegd_op)
        after_hours_notice(dispatcher)
        dispatcher.utter_message(text=wat_nu(naam, stored), buttons=AFTER_SENDING)
        return [SlotSet("fase", "verstuurd")]


class ActionBewaardVraagVerwijderen(NamedAction):
    action_name = "action_bewaard_vraag_verwijderen"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(
            dispatcher,
            "bewaard_zeker_verwijderen",
            buttons=[
                button("Ja, verwijder mijn bewaarde melding", "/bewaard_verwijderen_bevestigd"),
                button("Nee, niet verwijderen", "/heb_meldcode"),
            ],
        )
        return []


class ActionBewaardVerwijderen(NamedAction):
    action_name = "action_bewaard_verwijderen"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        meldcode = _meldcode(tracker)
        if meldcode is None:
            return _forgotten(dispatcher)
        try:
            await _signed(await _keys(meldcode), "bewaard_verwijderen")
        except backend_client.BackendUnavailable as error:
            return _problem(dispatcher, error)
        say(dispatcher, "bewaard_verwijderd", buttons=[PRATEN, KLAAR])
        return [SlotSet("meldcode", None)]
