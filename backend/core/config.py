"""Backend settings, read from the environment (embedded defaults first)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    auto_migrate: bool = True
    # The Rasa server the chat page talks to (REST channel), as the browser sees it.
    rasa_url: str = "http://localhost:5005"
    # Origins allowed to call the API from a browser (the chat page itself is same-origin).
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    # Argon2id cost for loket users' passwords (stored per user, so lower values in
    # tests only affect test users). OWASP-level defaults.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 1
    # Loket sessions.
    sessie_minuten: int = 8 * 60

    # Melder lookups by meldcode: failures per client per window, and for everyone.
    meldcode_pogingen_per_client: int = 5
    meldcode_pogingen_totaal: int = 1000
    meldcode_venster_seconden: int = 15 * 60
    # Extra delay after a failing lookup (on top of the slow hash).
    meldcode_vertraging_ms: int = 750
    # Peers allowed to name the end client in X-Meldwijzer-Client (the action server).
    vertrouwde_proxies: tuple[str, ...] = ("127.0.0.1", "::1")

    # Legal-clock reminders: interval in seconds (0 = off) and the "due soon" window.
    herinnering_interval_seconden: int = 3600
    herinnering_binnen_dagen: int = 2

    # Retention per loket in days after closing; loket codes not listed use the default.
    bewaartermijnen: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_BEWAARTERMIJNEN))
    bewaartermijn_standaard: int = DEFAULT_BEWAARTERMIJN_DAGEN

    def bewaartermijn(self, loket: str) -> int:
        return self.bewaartermijnen.get(loket, self.bewaartermijn_standaard)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            auto_migrate=os.environ.get("MELDWIJZER_AUTO_MIGRATE", "1") != "0",
            rasa_url=os.environ.get("MELDWIJZER_RASA_URL", "http://localhost:5005"),
            cors_origins=_split(os.environ.get("MELDWIJZER_CORS_ORIGINS", "")),
            argon2_time_cost=_int("MELDWIJZER_ARGON2_TIME_COST", 3),
            argon2_memory_kib=_int("MELDWIJZER_ARGON2_MEMORY_KIB", 64 * 1024),
            sessie_minuten=_int("MELDWIJZER_SESSIE_MINUTEN", 8 * 60),
            meldcode_vertraging_ms=_int("MELDWIJZER_MELDCODE_VERTRAGING_MS", 750),
            vertrouwde_proxies=_split(
                os.environ.get("MELDWIJZER_VERTROUWDE_PROXIES", "127.0.0.1,::1")
            ),
            herinnering_interval_seconden=_int("MELDWIJZER_HERINNERING_INTERVAL", 3600),
            herinnering_binnen_dagen=_int("MELDWIJZER_HERINNERING_BINNEN_DAGEN", 2),
            bewaartermijnen=_termijnen(os.environ.get("MELDWIJZER_BEWAARTERMIJNEN", "")),
            bewaartermijn_standaard=_int(
                "MELDWIJZER_BEWAARTERMIJN_STANDAARD", DEFAULT_BEWAARTERMIJN_DAGEN
            ),
        )
