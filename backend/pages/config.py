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
        secure_cookies: bool | None = None,
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.secret = secret or secrets.token_bytes(32)
        self.chat_frame_ancestors = chat_frame_ancestors
        # Secure flag on every page cookie: True/False, or None = when the request is https.
        self.secure_cookies = secure_cookies

    @classmethod
    def from_env(cls, rasa_url: str | None = None) -> PagesConfig:
        secret = os.environ.get("MELDWIJZER_PAGES_SECRET")
        return cls(
            rasa_url=rasa_url or os.environ.get("MELDWIJZER_RASA_URL", "http://localhost:5005"),
            secret=secret.encode() if secret else None,
            chat_frame_ancestors=parse_origins(
                os.environ.get("MELDWIJZER_CHAT_FRAME_ANCESTORS", "")
            ),
            secure_cookies=parse_secure(os.environ.get("MELDWIJZER_COOKIES_SECURE", "auto")),
        )


def parse_secure(value: str) -> bool | None:
    """MELDWIJZER_COOKIES_SECURE: 1 (always; behind a TLS proxy), 0 (never), auto (default)."""
    value = value.strip().lower()
    if value in ("1", "true", "ja"):
        return True
    if value in ("0", "false", "nee"):
        return False
    if value in ("", "auto"):
        return None
    raise ValueError(f"MELDWIJZER_COOKIES_SECURE must be 1, 0 or auto, not {value!r}")
