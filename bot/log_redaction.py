"""Keep message text out of Rasa's logs, also at DEBUG level.

Rasa 3.6 passes every structured log event through an "anonymization pipeline"
hook before writing it; without Rasa Pro that hook is empty and DEBUG logs hold
what the melder typed (``parse_data_text``, ``user_text``, slot values, …). This
plugin answers the hook with a pipeline that replaces every such value, so the
keys Rasa itself marks as sensitive never reach a log. Imported (and so
installed) by the modules Rasa loads at start-up: the socket.io channel and the
crisis-keyword component.
"""

from __future__ import annotations

from typing import Any

import pluggy
from rasa.plugin import plugin_manager

REDACTED = "[weggelaten]"
_NAME = "meldwijzer-log-redaction"
hookimpl = pluggy.HookimplMarker("rasa")


class RedactingPipeline:
    def log_run(self, value: Any) -> str:
        return REDACTED

    def run(self, event: dict[str, Any]) -> None:
        """Rasa Pro would publish anonymized events here; we publish nothing."""


class _Plugin:
    @hookimpl  # type: ignore[misc]
    def get_anonymization_pipeline(self) -> RedactingPipeline:
        return RedactingPipeline()


def install() -> None:
    manager = plugin_manager()
    if manager.get_plugin(_NAME) is None:
        manager.register(_Plugin(), name=_NAME)


install()
