"""Meldcode guessing is limited (per client and for everyone)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from backend.accounts.guess_limiter import GuessLimiter
from backend.app import create_app
from tests.backend.conftest import add_key, settings_for, submit
from tests.backend.conftest import legacy_meldcode as new_meldcode


def test_wrong_codes_get_429_while_the_right_code_works_elsewhere(database_url: str) -> None:
    app = create_app(settings_for(database_url))
    with TestClient(app, client=("198.51.100.7", 5000)) as attacker:
        add_key(attacker)
        sub = submit(attacker, legacy=True)
        codes = [attacker.post("/api/v1/melder/status", json={"meldcode": new_meldcode()})
                 for _ in range(5)]  # fmt: skip
        assert {r.status_code for r in codes} == {404}
        blocked = attacker.post("/api/v1/melder/status", json={"meldcode": new_meldcode()})
        assert blocked.status_code == 429
        error = blocked.json()["error"]
        assert error["nl"] and error["en"] and int(blocked.headers["Retry-After"]) > 0
        # Even the right code is refused for this client now: no oracle while blocked.
        right = attacker.post("/api/v1/melder/status", json={"meldcode": sub.meldcode})
        assert right.status_code == 429
    with TestClient(app, client=("203.0.113.9", 5001)) as melder:
        ok = melder.post("/api/v1/melder/status", json={"meldcode": sub.meldcode})
        assert ok.status_code == 200


def test_the_action_server_can_name_each_melder_pseudonymously(database_url: str) -> None:
    app = create_app(settings_for(database_url))
    with TestClient(app, client=("127.0.0.1", 5000)) as bot:
        add_key(bot)
        sub = submit(bot, legacy=True)
        for _ in range(5):
            bot.post(
                "/api/v1/melder/status",
                json={"meldcode": new_meldcode()},
                headers={"X-Meldwijzer-Client": "gesprek-a"},
            )
        blocked = bot.post(
            "/api/v1/melder/status",
            json={"meldcode": sub.meldcode},
            headers={"X-Meldwijzer-Client": "gesprek-a"},
        )
        assert blocked.status_code == 429
        other = bot.post(
            "/api/v1/melder/status",
            json={"meldcode": sub.meldcode},
            headers={"X-Meldwijzer-Client": "gesprek-b"},
        )
        assert other.status_code == 200


def test_untrusted_peers_cannot_pick_their_own_client_name(database_url: str) -> None:
    app = create_app(settings_for(database_url))
    with TestClient(app, client=("198.51.100.7", 5000)) as attacker:
        for i in range(6):
            r = attacker.post(
                "/api/v1/melder/status",
                json={"meldcode": new_meldcode()},
                headers={"X-Meldwijzer-Client": f"nep-{i}"},
            )
        assert r.status_code == 429


def test_limiter_window_expires_with_a_fake_clock() -> None:
    now = [0.0]
    limiter = GuessLimiter(per_client=2, total=100, window_seconds=60, clock=lambda: now[0])
    client = limiter.client_key("peer:x")
    limiter.failure(client)
    limiter.failure(client)
    assert limiter.retry_after(client) is not None
    assert limiter.retry_after(limiter.client_key("peer:y")) is None
    now[0] = 61
    assert limiter.retry_after(client) is None


def test_global_budget_protects_against_many_clients() -> None:
    limiter = GuessLimiter(per_client=5, total=3, window_seconds=60, clock=lambda: 0.0)
    for i in range(3):
        limiter.failure(limiter.client_key(f"peer:{i}"))
    assert limiter.retry_after(limiter.client_key("peer:new")) is not None
