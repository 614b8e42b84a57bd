"""After sending: offer the chat widget "Bijlage toevoegen" (issue #16, docs/bijlagen.md).

The widget needs the melder's keys to seal files and sign the upload, and derives them
from the meldcode, like the follow-up page does (web/src/bijlagen_chat.js). The code was
just shown in this chat, so the action server hands it to this one conversation in a
custom payload. It goes only to the widget of this session: the tracker store masks it
like the code in the text (bot/tracker_store.py masks every string of an event), the
action server logs no message content, and the backend never receives it.

Shape: socket.io emits ``data`` as the message itself; the REST channel wraps the same
dict as ``{"custom": {"data": …}}``; the widget reads both.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher


def offer_bijlagen(dispatcher: CollectingDispatcher, meldcode: str, melding_id: str) -> None:
    dispatcher.utter_message(
        json_message={"data": {"bijlagen": {"meldcode": meldcode, "melding_id": melding_id}}}
    )
