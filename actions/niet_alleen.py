""" "Niet alleen" in the chat: after sending, the melder may name the other person in a
fixed form, for matching only (docs/matching.md, docs/melder/niet-alleen.md).

The action server is the melder's agent here too: with the melder's keys (from the
meldcode, sealed in the slot) it blinds the form, asks the backend to evaluate it
(signed, budgeted), unblinds the result and builds the entry: index, Shamir share and
a record sealed as ``envelope/niet_alleen.py`` describes. The backend never sees the
name. After sending, the form's slots are cleared, like the melder's own name.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import backend_client, melder_agent
from actions.base import KLAAR, PRATEN, Dispatcher, Events, NamedAction, NamedFormValidation
from actions.base import button as knop
from actions.routeboekje_data import eenheid_codes, eenheid_naam
from actions.texts import say
from envelope import oprf
from envelope.melder_auth import signed_request
from envelope.melder_key import MelderKeys, melder_keys
from envelope.niet_alleen import FormError, build_entry, matching_input, normalise_naam
from envelope.sealing import Recipient, b64d, b64e, key_id

VORM = "niet_alleen_vorm"
PNR = "niet_alleen_pnr"
VOORNAAM = "niet_alleen_voornaam"
ACHTERNAAM = "niet_alleen_achternaam"
EENHEID = "niet_alleen_eenheid"
SLOTS = (VORM, PNR, VOORNAAM, ACHTERNAAM, EENHEID)
VERTROUWENSPERSOON = "vertrouwenspersoon"

JA = knop("Ja, ik noem de persoon voor matching", "/niet_alleen_ja")
NEE = knop("Nee, liever niet", "/niet_alleen_nee")
UITLEG = knop("Wat is dit?", "/niet_alleen_uitleg")
AANBOD = [JA, NEE, UITLEG]
TOCH_NIET = knop("Toch niet", "/niet_alleen_nee")


# Situations without another colleague to name (group zorg: care after an incident,
# moral stress, threats from outside the organisation): no offer.
ZONDER_ANDER = frozenset({"nazorg_incident", "morele_stress", "externe_dreiging"})


def past_bij(categorie: Any) -> bool:
    return bool(categorie) and categorie not in ZONDER_ANDER


def aanbod(dispatcher: Dispatcher) -> None:
    """The offer, right after a melding reached the backend (actions/submission.py)."""
    say(dispatcher, "niet_alleen_aanbod", buttons=AANBOD)


class ActionNietAlleenUitleg(NamedAction):
    action_name = "action_niet_alleen_uitleg"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "niet_alleen_uitleg", buttons=AANBOD)
        return []


class ActionNietAlleenNee(NamedAction):
    action_name = "action_niet_alleen_nee"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "niet_alleen_nee", buttons=[PRATEN, KLAAR])
        return [SlotSet(slot, None) for slot in SLOTS]


class ActionNietAlleenStart(NamedAction):
    """ "Ja": explain once more what happens with the name; the form then asks."""

    action_name = "action_niet_alleen_start"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "niet_alleen_start")
        return [SlotSet(slot, None) for slot in SLOTS]


class ActionAskNietAlleenVorm(NamedAction):
    action_name = "action_ask_niet_alleen_vorm"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(
            dispatcher,
            "niet_alleen_vraag_vorm",
            buttons=[
                knop("Met personeelsnummer", '/inform{"niet_alleen_vorm":"personeelsnummer"}'),
                knop("Met naam en eenheid", '/inform{"niet_alleen_vorm":"naam"}'),
                TOCH_NIET,
            ],
        )
        return []


class ActionAskNietAlleenPnr(NamedAction):
    action_name = "action_ask_niet_alleen_pnr"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "niet_alleen_vraag_pnr", buttons=[TOCH_NIET])
        return []


class ActionAskNietAlleenVoornaam(NamedAction):
    action_name = "action_ask_niet_alleen_voornaam"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "niet_alleen_vraag_voornaam", buttons=[TOCH_NIET])
        return []


class ActionAskNietAlleenAchternaam(NamedAction):
    action_name = "action_ask_niet_alleen_achternaam"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        say(dispatcher, "niet_alleen_vraag_achternaam", buttons=[TOCH_NIET])
        return []


class ActionAskNietAlleenEenheid(NamedAction):
    action_name = "action_ask_niet_alleen_eenheid"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        buttons = [
            knop(eenheid_naam(code), f'/inform{{"niet_alleen_eenheid":"{code}"}}')
            for code in eenheid_codes()
        ]
        say(dispatcher, "niet_alleen_vraag_eenheid", buttons=[*buttons, TOCH_NIET])
        return []


def _typed(value: Any) -> str:
    text = str(value or "").strip()
    return "" if text.startswith("/") else text[:80]


class ValidateNietAlleenForm(NamedFormValidation):
    """A personeelsnummer, or first name + last name + eenheid (buttons)."""

    action_name = "validate_niet_alleen_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: Dispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot(VORM) == "personeelsnummer":
            return [VORM, PNR]
        return [VORM, VOORNAAM, ACHTERNAAM, EENHEID]

    def validate_niet_alleen_vorm(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {VORM: value if value in ("personeelsnummer", "naam") else None}

    def validate_niet_alleen_pnr(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        digits = re.sub(r"[\s.\-]", "", _typed(value))
        if not re.fullmatch(r"[0-9]{4,12}", digits):
            say(dispatcher, "niet_alleen_pnr_vorm")
            return {PNR: None}
        return {PNR: digits}

    def validate_niet_alleen_voornaam(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        naam = _typed(value)
        try:
            normalise_naam(naam, "xx")
        except FormError:
            say(dispatcher, "niet_alleen_naam_vorm")
            return {VOORNAAM: None}
        return {VOORNAAM: naam}

    def validate_niet_alleen_achternaam(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        naam = _typed(value)
        try:
            normalise_naam("x", naam)
        except FormError:
            say(dispatcher, "niet_alleen_naam_vorm")
            return {ACHTERNAAM: None}
        return {ACHTERNAAM: naam}

    def validate_niet_alleen_eenheid(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {EENHEID: value if value in eenheid_codes() else None}


def form_of(tracker: Tracker) -> dict[str, str]:
    if tracker.get_slot(VORM) == "personeelsnummer":
        return {"personeelsnummer": str(tracker.get_slot(PNR) or "")}
    return {
        "voornaam": str(tracker.get_slot(VOORNAAM) or ""),
        "achternaam": str(tracker.get_slot(ACHTERNAAM) or ""),
        "eenheid": str(tracker.get_slot(EENHEID) or ""),
    }


async def _signed(keys: MelderKeys, path: str, actie: str, body: dict[str, Any]) -> dict[str, Any]:
    challenge = await backend_client.uitdaging()
    return await backend_client.melder_signed(path, signed_request(keys, actie, challenge, body))


async def name_person(
    keys: MelderKeys, melding_id: str, melder_eenheid: str, form: dict[str, str]
) -> None:
    """The melder's side of one entry: OPRF with the backend, then the entry itself."""
    data = matching_input(form)
    r, blinded = oprf.blind(data)
    evaluated = await _signed(
        keys,
        "/api/v1/melder/niet-alleen/evaluatie",
        "niet-alleen-evaluatie",
        {"geblindeerd": b64e(blinded)},
    )
    out = oprf.finalize(data, r, b64d(evaluated["geevalueerd"]))
    key = await backend_client.public_key(VERTROUWENSPERSOON, melder_eenheid)
    public = b64d(key["public_key"])
    if key_id(public) != key["kid"]:
        raise ValueError("vertrouwenspersoon key id does not fit its key")
    entry = build_entry(
        oprf_out=out,
        keys=keys,
        vermelding_id=str(uuid.uuid4()),
        melding_id=melding_id,
        eenheid=melder_eenheid,
        form=form,
        vertrouwenspersoon=Recipient(kid=key["kid"], public_key=public),
    )
    await _signed(
        keys, "/api/v1/melder/niet-alleen/vermeldingen", "niet-alleen-vermelding", entry.body()
    )


class ActionNietAlleenVerstuur(NamedAction):
    """The form is complete: make the entry, then forget the form."""

    action_name = "action_niet_alleen_verstuur"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        forget: list[EventType] = [SlotSet(slot, None) for slot in SLOTS]
        meldcode = melder_agent.open_from_slot(tracker.get_slot("meldcode"))
        melding_id = tracker.get_slot("melding_id")
        eenheid = tracker.get_slot("eenheid")
        if not meldcode or not melding_id or not eenheid:
            say(dispatcher, "niet_alleen_kan_niet", buttons=[PRATEN, KLAAR])
            return forget
        try:
            keys = await asyncio.to_thread(melder_keys, meldcode)
            await name_person(keys, str(melding_id), str(eenheid), form_of(tracker))
        except backend_client.BackendUnavailable as error:
            if error.status == 429:
                say(dispatcher, "niet_alleen_genoeg", buttons=[PRATEN, KLAAR])
            else:
                say(dispatcher, "niet_alleen_lukt_niet", buttons=[PRATEN, KLAAR])
            return forget
        except (FormError, ValueError, KeyError):
            say(dispatcher, "niet_alleen_lukt_niet", buttons=[PRATEN, KLAAR])
            return forget
        say(dispatcher, "niet_alleen_opgeslagen", buttons=[PRATEN, KLAAR])
        return forget
