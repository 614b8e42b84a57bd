"""Unique markers for tests that look for leaked content.

Letters only: digits in a marker can read as a personnel, phone or registration number
to the privacy check (actions/privacy_check.py), which then asks the melder about them
and changes the conversation the test expects.
"""

from __future__ import annotations

import secrets
import string


def canary(prefix: str = "CANARY", letters: int = 12) -> str:
    return f"{prefix}-" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(letters))
