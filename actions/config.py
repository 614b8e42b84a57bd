"""Action-server settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path


def backend_url() -> str:
    return os.environ.get("MELDWIJZER_BACKEND_URL", "http://localhost:8000").rstrip("/")


def backend_timeout_seconds() -> float:
    return float(os.environ.get("MELDWIJZER_BACKEND_TIMEOUT", "10"))


def signing_key_path() -> Path | None:
    """The action server's Ed25519 signing key file (docs/deployment.md), if configured."""
    value = os.environ.get("MELDWIJZER_ACTIESERVER_SLEUTEL", "").strip()
    return Path(value) if value else None
