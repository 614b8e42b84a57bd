"""Summary, corrections, consent and the sealed submission of the melding."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.types import DomainDict

from actions import backend_client, melder_agent, niet_alleen
from actions.base import KLAAR, PRATEN, Dispatcher, Events, NamedAction, button
from actions.bijlagen_aanbod import offer_bijlagen
from actions.conversation import ActionKiesCategorie, entity
from actions.identiteit import SLOTS as IDENTITY_SLOTS
from actions.identiteit import (
    anoniem_mogelijk,
    contact_label,
    identiteit,
    niet_meer_passend,
)
from actions.intake_answers import label
from actions.listening import fact_correction_buttons
from actions.melding import INTAKE_SLOTS, build_melding, now_iso, sealed_submission
from actions.office_hours import outside_office_hours
from actions.ontvangstbewijs import offer_receipt, receipt_later
from actions.outbox import PermanentFailure, default_outbox
from actions.prepared_meldcodes import prepared_meldcodes
from actions.privacy_stap import privacy_stap
from actions.routeboekje_data import categorie_label, eenheid_naam, loket_naam
from actions.termijn_tekst import wat_nu
from actions.texts import say, text
from envelope.meldcode import new_meldcode
from envelope.meldcode_woorden import format_words

NIET_VERSTUREN = button("Niet versturen", "/alleen_informatie")
CORRIGEERBAAR = [
    ("beschrijving", "Wat er is gebeurd"),
    ("eenheid", "Eenheid"),
    ("rol_melder", "Wie jij bent in dit verhaal"),
    ("sinds_wanneer", "Sinds wanneer"),
    ("rol_ander", "Wie de ander is"),
    ("eerder_gemeld", "Eerder gemeld"),
    ("wens", "Wat je wilt"),
    ("anoniem", "Anoniem of niet"),
    ("toestemming_doorsturen", "Doorsturen naar een ander loket"),
]
# Shown only when the melder gave them (not anonymous).
CORRIGEERBAAR_IDENTITEIT = [
    ("melder_naam", "Je naam"),
    ("melder_contact", "Hoe het loket je bereikt"),
]


def correction_buttons(identiteit_gegeven: bool = False) -> list[dict[str, str]]:
    velden = CORRIGEERBAAR + (CORRIGEERBAAR_IDENTITEIT if identiteit_gegeven else [])
    buttons = [
        {"title": title, "payload": f'/corrigeer{{"veld":"{veld}"}}'} for veld, title in velden
    ]
    buttons.insert(1, {"title": "Soort situatie", "payload": "/kies_andere_categorie"})
    buttons.append({"title": "Het loket", "payload": "/toon_advies"})
    return buttons


def _slots(tracker: Tracker) -> dict[str, Any]:
    return {n: tracker.get_slot(n) for n in (*INTAKE_SLOTS, *IDENTITY_SLOTS, "categorie")}


def summary_text(slots: dict[str, Any], loket: str) -> str:
    # Not asked for this situation or melder (intake_form.not_asked): left out.
    niet_altijd_gevraagd = "".join(
        text(key, waarde=label(slot, slots[slot])) + "\n"
        for slot, key in (
            ("rol_ander", "samenvatting_ander"),
            ("eerder_gemeld", "samenvatting_eerder_gemeld"),
        )
        if slots.get(slot)
    )
    return text(
        "samenvatting",
        beschrijving=slots.get("beschrijving") or "",
        categorie=categorie_label(slots["categorie"]),
        eenheid=eenheid_naam(slots["eenheid"]),
        rol_melder=label("rol_melder", slots.get("rol_melder")),
        sinds_wanneer=label("sinds_wanneer", slots.get("sinds_wanneer")),
        niet_altijd_gevraagd=niet_altijd_gevraagd,
        wens=label("wens", slots.get("wens")),
        anoniem="ja" if slots.get("anoniem") != "nee" else "nee",
        doorsturen="ja" if slots.get("toestemming_doorsturen") == "ja" else "nee",
        loket=loket_naam(loket),
    )


MELDING_QUESTIONS = ("sinds_wanneer", "anoniem", "toestemming_doorsturen")


def choosable(tracker: Tracker) -> dict[str, dict[str, Any]]:
    """The lokets of the advice that receive a melding through the system."""
    advies = tracker.get_slot("advies") or []
    return {a["loket"]: a for a in advies if a.get("ontvangt_digitaal")}


class ActionKiesLoket(NamedAction):
    """The melder picked a loket: keep it; the melding form then asks what is missing."""

    action_name = "action_kies_loket"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        loket = entity(tracker, "gekozen_loket")
        if loket not in choosable(tracker):
            # The form asks for a loket again (action_ask_gekozen_loket).
            return [SlotSet("gekozen_loket", None)]
        if any(not tracker.get_slot(slot) for slot in MELDING_QUESTIONS):
            say(dispatcher, "vragen_melding")
        # "Anonymous" or "only via the meldcode" is asked again where the loket needs a name.
        slots = {slot: tracker.get_slot(slot) for slot in ("anoniem", "melder_contact")}
        forget = niet_meer_passend(slots, anoniem_mogelijk(tracker.get_slot("advies"), loket))
        return [SlotSet("gekozen_loket", loket), *(SlotSet(k, v) for k, v in forget.items())]


class ActionAskGekozenLoket(NamedAction):
    action_name = "action_ask_gekozen_loket"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        buttons = [
            {
                "title": f"Stuur naar: {a['naam']}",
                "payload": f'/kies_loket{{"gekozen_loket":"{code}"}}',
            }
            for code, a in choosable(tracker).items()
        ]
        say(
            dispatcher,
            "kies_loket",
            buttons=[
                *buttons,
                {"title": "Alleen informatie, niets versturen", "payload": "/alleen_informatie"},
            ],
        )
        return []


class ActionSamenvatting(NamedAction):
    """After the melding questions: show the whole melding and ask consent."""

    action_name = "action_samenvatting"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        loket = tracker.get_slot("gekozen_loket")
        options = choosable(tracker)
        if loket not in options:
            say(dispatcher, "kies_loket")
            return [FollowupAction("action_routeadvies")]
        # Anonymous: first the melder's own words that may give them away (issue 15.2).
        privacy = await privacy_stap(dispatcher, tracker, vervolg="samenvatting")
        if privacy.wacht:
            return privacy.events
        slots = _slots(tracker)
        await _loket_key(loket, slots["eenheid"])  # prefetch: sealing works even offline later
        dispatcher.utter_message(text=summary_text(slots, loket))
        details = identiteit(slots)
        if details is not None:
            # Name and contact in a block of their own: they are sealed apart.
            say(
                dispatcher,
                "samenvatting_identiteit",
                naam=details["naam"],
                contact=contact_label(slots.get("melder_contact")),
                loket=loket_naam(loket),
            )
        anoniem = slots.get("anoniem") != "nee"
        if anoniem and not options[loket].get("anoniem_mogelijk"):
            say(dispatcher, "anoniem_niet_mogelijk")
        say(
            dispatcher,
            "klopt_dit" if details is None else "klopt_dit_met_naam",
            loket=loket_naam(loket),
            buttons=[
                {"title": "Ja, verstuur mijn melding", "payload": "/verstuur"},
                # Bewaarmelding: sealed to the melder only (actions/bewaarmelding.py).
                {"title": "Eerst alleen bewaren", "payload": "/bewaar_melding"},
                {"title": "Iets aanpassen", "payload": "/aanpassen"},
                NIET_VERSTUREN,
            ],
        )
        events: list[EventType] = [*privacy.events, SlotSet("fase", "samenvatting")]
        melding_id = tracker.get_slot("melding_id")
        if not melding_id:
            melding_id = str(uuid.uuid4())
            events.append(SlotSet("melding_id", melding_id))
        # Draw the meldcode and derive the melder's key while the melder reads.
        prepared_meldcodes().prepare(melding_id)
        return events


class ActionVraagAanpassing(NamedAction):
    action_name = "action_vraag_aanpassing"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        if tracker.get_slot("fase") == "categorie_check":
            # Right after "Ik begrijp dat ...": the situation and each understood fact.
            buttons = fact_correction_buttons(tracker)
            if len(buttons) == 1:
                return await ActionKiesCategorie().run(dispatcher, tracker, domain)
            say(dispatcher, "wat_aanpassen", buttons=buttons)
            return []
        gegeven = identiteit(_slots(tracker)) is not None
        say(dispatcher, "wat_aanpassen", buttons=correction_buttons(gegeven))
        return [SlotSet("fase", "aanpassen")]


class ActionCorrigeer(NamedAction):
    """Forget one answer; the rules then run the form, which asks only that again."""

    action_name = "action_corrigeer"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        veld = entity(tracker, "veld")
        events: list[EventType] = [SlotSet("gekozen_loket", None), SlotSet("fase", None)]
        if veld not in INTAKE_SLOTS and veld not in IDENTITY_SLOTS:
            return events
        if veld == "beschrijving":
            say(dispatcher, "opnieuw_vertellen")
        return [SlotSet(veld, None), *events]


def _transient(error: backend_client.BackendUnavailable) -> bool:
    """Worth trying again later. 401/403 too: the signing key is missing or not yet
    registered, which the operator fixes; the melding waits in the outbox meanwhile."""
    return error.status is None or error.status >= 500 or error.status in (401, 403, 408, 429)


async def _loket_key(loket: str, eenheid: str) -> dict[str, Any] | None:
    """The loket's public key: fresh from the backend, else the cached copy."""
    outbox = default_outbox()
    try:
        key = await backend_client.public_key(loket, eenheid)
    except backend_client.BackendUnavailable:
        return await asyncio.to_thread(outbox.cached_key, loket, eenheid)
    await asyncio.to_thread(outbox.remember_key, loket, eenheid, key)
    return key


async def deliver_from_outbox(body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    try:
        return await backend_client.submit_melding(body, idempotency_key=idempotency_key)
    except backend_client.BackendUnavailable as error:
        if _transient(error):
            raise
        raise PermanentFailure(f"HTTP {error.status}") from error


class ActionVerstuurMelding(NamedAction):
    """Seal the melding to the chosen loket's key and hand it to the backend.

    If the backend cannot be reached, the sealed melding waits in the durable
    outbox and is delivered automatically (exactly once, by idempotency key).
    """

    action_name = "action_verstuur_melding"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        loket = tracker.get_slot("gekozen_loket")
        melding_id = tracker.get_slot("melding_id") or str(uuid.uuid4())
        prepared = prepared_meldcodes()
        # The same code on "Opnieuw proberen": kept sealed in the slot, never in clear.
        meldcode = (
            melder_agent.open_from_slot(tracker.get_slot("meldcode"))
            or prepared.meldcode(melding_id)
            or new_meldcode()
        )
        slots = _slots(tracker)
        events: list[EventType] = [
            SlotSet("melding_id", melding_id),
            SlotSet("meldcode", melder_agent.seal_for_slot(meldcode)),
        ]
        key = await _loket_key(loket, slots["eenheid"])
        if key is None:
            say(
                dispatcher,
                "versturen_lukt_niet",
                buttons=[button("Opnieuw proberen", "/verstuur"), NIET_VERSTUREN],
            )
            return events
        # The melder's keys (slow scrypt) were prepared during the summary; if not,
        # they are derived now in a worker thread, never on the event loop.
        melder = await prepared.melder_keys(meldcode, melding_id)
        body = sealed_submission(
            build_melding(slots, melding_id, loket, now_iso()),
            key,
            melder,
            identiteit=identiteit(slots),
        )
        naam = loket_naam(loket)
        try:
            stored = await backend_client.submit_melding(body, idempotency_key=melding_id)
        except backend_client.BackendUnavailable as error:
            if not _transient(error):
                say(dispatcher, "niet_aangenomen", buttons=[PRATEN])
                return events
            await asyncio.to_thread(default_outbox().put, melding_id, body)
            say(dispatcher, "klaar_om_te_versturen", naam=naam)
            say(dispatcher, "je_meldcode", meldcode=meldcode, woorden=format_words(meldcode))
            receipt_later(dispatcher)
            after_hours_notice(dispatcher)
            say(dispatcher, "wat_nu_straks", naam=naam, buttons=AFTER_SENDING)
            return [*events, *_forget_identity(), SlotSet("fase", "verstuurd")]
        say(dispatcher, "verstuurd", naam=naam)
        say(dispatcher, "je_meldcode", meldcode=meldcode, woorden=format_words(meldcode))
        offer_receipt(dispatcher, stored)  # the signed ontvangstbewijs, as a download
        offer_bijlagen(dispatcher, meldcode, melding_id)  # the widget's "Bijlage toevoegen"
        after_hours_notice(dispatcher)
        # The clock of this route, as the backend set it: the law, an afspraak, or none.
        dispatcher.utter_message(text=wat_nu(naam, stored), buttons=AFTER_SENDING)
        if niet_alleen.past_bij(slots.get("categorie")):
            niet_alleen.aanbod(dispatcher)  # "Niet alleen" (docs/matching.md)
        return [*events, *_forget_identity(), SlotSet("fase", "verstuurd")]


AFTER_SENDING = [PRATEN, KLAAR]


def _forget_identity() -> list[EventType]:
    """Once sealed, the name and contact need not stay in the conversation's slots."""
    return [SlotSet(slot, None) for slot in IDENTITY_SLOTS]


def after_hours_notice(dispatcher: Dispatcher) -> None:
    """Sent at night or in the weekend: the loket reads it on a working day (issue 12)."""
    if outside_office_hours():
        say(dispatcher, "verstuurd_buiten_kantoortijd")
