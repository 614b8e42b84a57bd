"""Rasa's socket.io input channel with a working `session_persistence`.

Rasa 3.6 calls ``sio.enter_room(...)`` without ``await``; since python-socketio
5.x made ``AsyncServer.enter_room`` a coroutine, the socket never joins the
room of its session id, and every bot message (emitted to that room) is lost:
the web chat connects but never hears an answer. This subclass replaces only the
``session_request`` handler and awaits the call. Everything else is Rasa's.

Used in bot/credentials.yml as ``bot.socketio_channel.SocketIOInput``.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

import bot.log_redaction  # noqa: F401 - keeps message text out of Rasa logs
import bot.rasa_speedups  # noqa: F401 - behaviour-preserving speed-ups


class SocketIOInput(RasaSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            data = data or {}
            if data.get("session_id") is None:
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", data["session_id"], room=sid)

        return blueprint
