"""Settings of the pages, from the environment."""

from __future__ import annotations

import os
import secrets

from backend.core.security_headers import parse_origins


class PagesConfig:
    def __init__(
        self,
        rasa_url: str,
        secret: bytes | None = None,
        chat_frame_ancestors: tuple[str, ...] = (),
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.secret = secret or secrets.token_bytes(32)
        self.chat_frame_ancestors = chat_frame_ancestors

    @classmethod
    def from_env(cls, rasa_url: str | None = None) -> PagesConfig:
        secret = os.environ.get("MELDWIJZER_PAGES_SECRET")
        return cls(
            rasa_url=rasa_url or os.environ.get("MELDWIJZER_RASA_URL", "http://localhost:5005"),
            secret=secret.encode() if secret else None,
            chat_frame_ancestors=parse_origins(
                os.environ.get("MELDWIJZER_CHAT_FRAME_ANCESTORS", "")
            ),
        )
