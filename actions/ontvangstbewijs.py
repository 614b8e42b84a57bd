"""The ontvangstbewijs in the chat: after sending (and with the status), the bot offers
the signed receipt the backend returned as a download (docs/ontvangstbewijs.md).

The receipt travels as a custom payload ``{"data": {"ontvangstbewijs": {...}}}``: the
socket.io channel emits ``data`` as the message, the REST channel puts it under
``custom``. The chat widget (web/src/chat.js, web/src/ontvangstbewijs.js) turns it into
two download buttons: the JSON file and a PDF the backend renders after checking it.
The receipt holds no content, only ids, hashes and a signature.
"""

from __future__ import annotations

from typing import Any

from actions.base import Dispatcher
from actions.texts import say

PAYLOAD_KEY = "ontvangstbewijs"


def receipt_payload(bewijs: dict[str, Any]) -> dict[str, Any]:
    return {"data": {PAYLOAD_KEY: bewijs}}


def attach_receipt(dispatcher: Dispatcher, bewijs: dict[str, Any] | None) -> bool:
    """Add the download of this receipt to the bot's answer; False when there is none."""
    if not isinstance(bewijs, dict):
        return False
    dispatcher.utter_message(json_message=receipt_payload(bewijs))
    return True


def offer_receipt(dispatcher: Dispatcher, stored: dict[str, Any]) -> None:
    """Right after sending: explain the receipt, then the download."""
    bewijs = stored.get(PAYLOAD_KEY)
    if isinstance(bewijs, dict):
        say(dispatcher, "bewijs_downloaden")
        attach_receipt(dispatcher, bewijs)


def receipt_later(dispatcher: Dispatcher) -> None:
    """The melding waits in the outbox: the receipt comes once the backend has it."""
    say(dispatcher, "bewijs_later")
