"""Attack probes on the meldcode guessing limit (security review, finding 5).

Before the fix the limit was keyed on a value the caller chose (the hash of the
chat's sender id in X-Meldwijzer-Client), so an attacker had unlimited identities
and could use up the global budget, after which every melder got 429 — also with
the right meldcode.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.accounts.meldcode_limiter import MeldcodeLimiter
from tests.backend.conftest import SIGNING_KEY, signed_post, submit

# Guesses and the melder's right code go through the older path that posts the code
# itself; a current meldcode's proof is looked up by its public key under the same
# budgets (tests/security/test_meldcode_secret.py).
from tests.backend.conftest import legacy_meldcode as new_meldcode

STATUS = "/api/v1/melder/status"
SMALL_BUDGET = {
    "meldcode_pogingen_totaal": 6,
    "meldcode_pogingen_per_actieserver": 3,
    "meldcode_vertraging_overbelast_ms": 5,
}


def from_address(running: TestClient, host: str) -> TestClient:
    """Another caller of the same running backend."""
    return TestClient(running.app, client=(host, 4000))


def test_many_chat_identities_cannot_lock_out_a_melder(make_client: Any) -> None:
    """The attacker talks through the chat with ever new sender ids; the action server
    forwards the guesses (signed). The melder's right code still works afterwards."""
    bot = make_client(client=("127.0.0.1", 5055), **SMALL_BUDGET)
    sub = submit(bot, legacy=True)
    for i in range(12):
        wrong = signed_post(
            bot, STATUS, {"meldcode": new_meldcode()}, {"X-Meldwijzer-Client": f"nep-{i}"}
        )
        assert wrong.status_code == 404
    limiter: MeldcodeLimiter = bot.app.state.meldcode_limiter  # type: ignore[attr-defined]
    assert limiter.degraded(limiter.action_server(SIGNING_KEY.kid))  # slowed down now
    right = signed_post(bot, STATUS, {"meldcode": sub.meldcode})
    assert right.status_code == 200, right.text


def test_many_addresses_cannot_lock_out_a_melder_on_the_follow_up_page(
    make_client: Any,
) -> None:
    """Guesses from many addresses use up the global budget: answers get slower, but a
    melder from yet another address with the right code gets in."""
    first: TestClient = make_client(**SMALL_BUDGET)
    sub = submit(first, legacy=True)
    for i in range(8):
        attacker = from_address(first, f"203.0.113.{i}")
        assert attacker.post(STATUS, json={"meldcode": new_meldcode()}).status_code == 404
    melder = from_address(first, "192.0.2.44")
    assert melder.post(STATUS, json={"meldcode": sub.meldcode}).status_code == 200


def test_a_header_from_loopback_is_no_new_identity(make_client: Any) -> None:
    """X-Meldwijzer-Client used to name a fresh client per value for loopback callers."""
    local = make_client(client=("127.0.0.1", 5055))
    answers = [
        local.post(
            STATUS, json={"meldcode": new_meldcode()}, headers={"X-Meldwijzer-Client": f"id-{i}"}
        ).status_code
        for i in range(6)
    ]
    assert answers == [404] * 5 + [429]


def test_an_address_over_its_budget_gets_no_oracle(make_client: Any) -> None:
    """The address that guessed is blocked, even with the right code; nobody else is."""
    attacker = make_client(client=("198.51.100.7", 4000))
    sub = submit(attacker, legacy=True)
    for _ in range(5):
        attacker.post(STATUS, json={"meldcode": new_meldcode()})
    assert attacker.post(STATUS, json={"meldcode": sub.meldcode}).status_code == 429
    other = from_address(attacker, "192.0.2.10")
    assert other.post(STATUS, json={"meldcode": sub.meldcode}).status_code == 200
