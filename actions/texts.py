"""The fixed texts the action server says, read from ``bot/texts.yml``.

One place to review the wording (and for the readability check); actions pick a text
by key and fill in values: ``say(dispatcher, "klopt_dat", begrip=...)``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk.executor import CollectingDispatcher

TEXTS = Path(__file__).resolve().parent.parent / "bot" / "texts.yml"


@lru_cache(maxsize=1)
def texts() -> dict[str, str]:
    with TEXTS.open(encoding="utf-8") as handle:
        data: dict[str, str] = yaml.safe_load(handle)
    return data


def text(key: str, **values: str) -> str:
    """The text ``key`` with ``{name}`` filled in; surrounding space trimmed."""
    return texts()[key].format(**values).strip()


def say(
    dispatcher: CollectingDispatcher,
    key: str,
    buttons: list[dict[str, Any]] | None = None,
    **values: str,
) -> None:
    dispatcher.utter_message(text=text(key, **values), buttons=buttons or [])
