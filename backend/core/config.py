"""Backend settings, read from the environment (embedded defaults first)."""

from __future__ import annotations

import os
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'meldwijzer.db'}"

# Days a melding is kept after it was closed (afgerond) or withdrawn (ingetrokken).
# The seeds name no retention period; these are design defaults to be set with the
# privacy officer (FG). Override per loket with MELDWIJZER_BEWAARTERMIJNEN="vik=1825,...".
DEFAULT_BEWAARTERMIJN_DAGEN = 730
DEFAULT_BEWAARTERMIJNEN: dict[str, int] = {
    "vertrouwenspersoon": 365,
    "vertrouwenspersoon_integriteit": 365,
    "udr_kernteam": 365,
    "vik": 1825,
    "klachtencommissie": 1825,
    "meldpunt_misstanden": 1825,
    "ombudsfunctionaris": 730,
}


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _termijnen(value: str) -> dict[str, int]:
    result = dict(DEFAULT_BEWAARTERMIJNEN)
    for part in _split(value):
        loket, _, days = part.partition("=")
        result[loket.strip()] = int(days)
    return result


def _bool(value: str) -> bool:
    return value != "0"


def env(name: str, default: Any, parse: Callable[[str], Any] = str) -> Any:
    """A setting's one declaration: its default, and the variable that overrides it."""
    if isinstance(default, (dict, tuple)):
        return field(default_factory=lambda: copy(default), metadata={"env": name, "parse": parse})
    return field(default=default, metadata={"env": name, "parse": parse})


@dataclass(frozen=True)
class Settings:
    database_url: str = env("DATABASE_URL", DEFAULT_DATABASE_URL)
    auto_migrate: bool = env("MELDWIJZER_AUTO_MIGRATE", True, _bool)
    # The Rasa server the chat page talks to (REST channel), as the browser sees it.
    rasa_url: str = env("MELDWIJZER_RASA_URL", "http://localhost:5005")
    # Origins allowed to call the API from a browser (the chat page itself is same-origin).
    cors_origins: tuple[str, ...] = env("MELDWIJZER_CORS_ORIGINS", (), _split)

    # Argon2id cost for loket users' passwords (stored per user, so lower values in
    # tests only affect test users). OWASP-level defaults.
    argon2_time_cost: int = env("MELDWIJZER_ARGON2_TIME_COST", 3, int)
    argon2_memory_kib: int = env("MELDWIJZER_ARGON2_MEMORY_KIB", 64 * 1024, int)
    argon2_parallelism: int = 1
    # Loket sessions: absolute limit, and the idle limit (no request for that long ends it).
    sessie_minuten: int = env("MELDWIJZER_SESSIE_MINUTEN", 8 * 60, int)
    sessie_inactief_minuten: int = env("MELDWIJZER_SESSIE_INACTIEF_MINUTEN", 20, int)

    # Melder lookups by meldcode: failing lookups per window per network address, per
    # meldcode presented, per signed action server (then slowed, never refused) and for
    # everyone (then slowed and serialised); see backend/accounts/meldcode_limiter.py.
    meldcode_pogingen_per_adres: int = 5
    meldcode_pogingen_per_code: int = 5
    meldcode_pogingen_per_actieserver: int = env(
        "MELDWIJZER_MELDCODE_POGINGEN_ACTIESERVER", 200, int
    )
    meldcode_pogingen_totaal: int = env("MELDWIJZER_MELDCODE_POGINGEN_TOTAAL", 1000, int)
    meldcode_venster_seconden: int = 15 * 60
    # Extra delay after a failing lookup (on top of the slow hash), and when degraded.
    meldcode_vertraging_ms: int = env("MELDWIJZER_MELDCODE_VERTRAGING_MS", 750, int)
    meldcode_vertraging_overbelast_ms: int = env(
        "MELDWIJZER_MELDCODE_VERTRAGING_OVERBELAST_MS", 5000, int
    )

    # Action servers allowed to submit meldingen: "naam=<base64 Ed25519 public key>",
    # comma-separated (meldwijzer-admin actieservers sleutel). Empty: nobody can submit.
    actieservers: tuple[str, ...] = env("MELDWIJZER_ACTIESERVERS", (), _split)
    # How far a signed request's timestamp may be from the backend's clock.
    handtekening_venster_seconden: int = env("MELDWIJZER_HANDTEKENING_VENSTER", 300, int)
    # Submissions per minute per action server and in total (then 429 + Retry-After).
    meldingen_per_minuut_per_actieserver: int = env("MELDWIJZER_MELDINGEN_PER_MINUUT", 60, int)
    meldingen_per_minuut_totaal: int = env("MELDWIJZER_MELDINGEN_PER_MINUUT_TOTAAL", 120, int)
    # Largest request body accepted, checked before anything is parsed (413 above it).
    max_verzoek_bytes: int = env("MELDWIJZER_MAX_VERZOEK_BYTES", 1024 * 1024, int)
    # Strict-Transport-Security: "auto" (on responses to HTTPS requests, as uvicorn
    # sees them behind the proxy), "aan" (always) or "uit".
    hsts: str = env("MELDWIJZER_HSTS", "auto")

    # Legal-clock reminders: interval in seconds (0 = off) and the "due soon" window.
    herinnering_interval_seconden: int = env("MELDWIJZER_HERINNERING_INTERVAL", 3600, int)
    herinnering_binnen_dagen: int = env("MELDWIJZER_HERINNERING_BINNEN_DAGEN", 2, int)

    # The storage keys (backend/keys/bewaarsleutels.py): a directory outside the database
    # and outside its backups. Every backend instance and the admin CLI use the same one.
    sleutelkluis: str = env("MELDWIJZER_SLEUTELKLUIS", str(REPO_ROOT / "var" / "sleutelkluis"))

    # Retention per loket in days after closing; loket codes not listed use the default.
    bewaartermijnen: dict[str, int] = env(
        "MELDWIJZER_BEWAARTERMIJNEN", DEFAULT_BEWAARTERMIJNEN, _termijnen
    )
    bewaartermijn_standaard: int = env(
        "MELDWIJZER_BEWAARTERMIJN_STANDAARD", DEFAULT_BEWAARTERMIJN_DAGEN, int
    )

    # Clock per loket: an override of backend/data/termijnen.yaml (afspraken), or "".
    termijnen_bestand: str = env("MELDWIJZER_TERMIJNEN", "")

    def bewaartermijn(self, loket: str) -> int:
        return self.bewaartermijnen.get(loket, self.bewaartermijn_standaard)

    @classmethod
    def from_env(cls) -> Settings:
        """The defaults above, overridden by the variables that are set."""
        values = {
            f.name: f.metadata["parse"](os.environ[f.metadata["env"]])
            for f in fields(cls)
            if "env" in f.metadata and f.metadata["env"] in os.environ
        }
        return cls(**values)
