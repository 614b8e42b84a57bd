"""Meldcode guessing is limited per address, per action server, per code and in total."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.accounts.guess_limiter import GuessLimiter
from backend.accounts.meldcode_limiter import MeldcodeLimiter
from backend.app import create_app
from tests.backend.conftest import SIGNING_KEY, add_key, settings_for, signed_post, submit
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


def test_a_signed_action_server_is_slowed_down_never_locked_out(database_url: str) -> None:
    """One action server carries every chat melder: over its budget its wrong codes are
    answered slowly and one at a time, while a right code is answered at once."""
    settings = settings_for(
        database_url, meldcode_pogingen_per_actieserver=3, meldcode_vertraging_overbelast_ms=10
    )
    app = create_app(settings)
    with TestClient(app, client=("127.0.0.1", 5000)) as bot:
        add_key(bot)
        sub = submit(bot, legacy=True)
        limiter: MeldcodeLimiter = app.state.meldcode_limiter
        source = limiter.action_server(SIGNING_KEY.kid)
        wrong = [status(bot, new_meldcode()) for _ in range(6)]
        assert {r.status_code for r in wrong} == {404}
        assert limiter.degraded(source)
        assert status(bot, sub.meldcode).status_code == 200


def status(client: TestClient, meldcode: str) -> Any:
    return signed_post(client, "/api/v1/melder/status", {"meldcode": meldcode})


def test_the_chat_conversation_id_no_longer_buys_new_guesses(database_url: str) -> None:
    """X-Meldwijzer-Client from a loopback caller used to be a fresh identity per value."""
    app = create_app(settings_for(database_url))
    with TestClient(app, client=("127.0.0.1", 5000)) as local:
        for i in range(5):
            local.post(
                "/api/v1/melder/status",
                json={"meldcode": new_meldcode()},
                headers={"X-Meldwijzer-Client": f"gesprek-{i}"},
            )
        blocked = local.post(
            "/api/v1/melder/status",
            json={"meldcode": new_meldcode()},
            headers={"X-Meldwijzer-Client": "gesprek-nieuw"},
        )
        assert blocked.status_code == 429


def test_the_same_wrong_code_is_refused_on_its_own() -> None:
    limiter = MeldcodeLimiter(per_address=100, per_code=2, window_seconds=60, clock=lambda: 0.0)
    code = limiter.code("7KQ4-M2XD-9RTA-HB3C")
    for host in ("a", "b"):
        limiter.failure(limiter.address(host), code)
    assert limiter.retry_after(limiter.address("c"), code) is not None
    assert limiter.retry_after(limiter.address("c"), limiter.code("other")) is None


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


def test_login_global_budget_protects_against_many_clients() -> None:
    limiter = GuessLimiter(per_client=5, total=3, window_seconds=60, clock=lambda: 0.0)
    for i in range(3):
        limiter.failure(limiter.client_key(f"peer:{i}"))
    assert limiter.retry_after(limiter.client_key("peer:new")) is not None


def test_meldcode_global_budget_slows_down_instead_of_refusing() -> None:
    limiter = MeldcodeLimiter(per_address=5, total=3, window_seconds=60, clock=lambda: 0.0)
    for i in range(3):
        limiter.failure(limiter.address(f"peer:{i}"), limiter.code(f"c{i}"))
    fresh = limiter.address("peer:new")
    assert limiter.retry_after(fresh, limiter.code("right")) is None
    assert limiter.degraded(fresh)
