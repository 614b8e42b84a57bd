"""Action-server settings from the environment."""

from __future__ import annotations

import os


def backend_url() -> str:
    return os.environ.get("MELDWIJZER_BACKEND_URL", "http://localhost:8000").rstrip("/")


def backend_timeout_seconds() -> float:
    return float(os.environ.get("MELDWIJZER_BACKEND_TIMEOUT", "10"))
