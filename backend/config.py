"""Backend settings, read from the environment (embedded defaults first)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'meldwijzer.db'}"


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    auto_migrate: bool = True
    # The Rasa server the chat page talks to (REST channel), as the browser sees it.
    rasa_url: str = "http://localhost:5005"
    # Origins allowed to call the API from a browser (the chat page itself is same-origin).
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            auto_migrate=os.environ.get("MELDWIJZER_AUTO_MIGRATE", "1") != "0",
            rasa_url=os.environ.get("MELDWIJZER_RASA_URL", "http://localhost:5005"),
            cors_origins=_split(os.environ.get("MELDWIJZER_CORS_ORIGINS", "")),
        )
