"""Attack probes on transport and pages (security review, finding 10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient

from tests.backend.conftest import SIGNING_KEY

PATH = "/api/v1/meldingen"


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    """8 MiB used to be read and parsed before a 422; now 413 from the declared length."""
    huge = b'{"envelope": "' + b"A" * (8 * 1024 * 1024) + b'"}'
    response = client.post(
        PATH,
        content=huge,
        headers={"Content-Type": "application/json", "Idempotency-Key": "groot-123"},
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["nl"] and error["en"]


def test_an_oversized_body_without_length_is_cut_off(client: TestClient) -> None:
    """Chunked (no Content-Length): counted while it streams in, refused at the limit."""

    def chunks() -> Iterator[bytes]:
        yield b'{"envelope": "'
        for _ in range(64):
            yield b"A" * (64 * 1024)
        yield b'"}'

    data = chunks()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": "groot-456",
        **SIGNING_KEY.sign("POST", PATH, b""),  # reading the body for the check must stop too
    }
    response = client.post(PATH, content=data, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_https_responses_carry_hsts(client: TestClient) -> None:
    secure = TestClient(client.app, base_url="https://meldwijzer.intern")
    for path in ("/chat", "/volgen", "/health"):
        header = secure.get(path).headers.get("strict-transport-security", "")
        assert header.startswith("max-age=31536000"), path
    assert "strict-transport-security" not in client.get("/chat").headers


def test_hsts_can_be_forced_for_a_proxy_that_does_not_pass_the_scheme(make_client: Any) -> None:
    forced = make_client(hsts="aan")
    assert "max-age=" in forced.get("/volgen").headers["strict-transport-security"]


def test_the_meldcode_field_is_not_remembered_by_the_browser(client: TestClient) -> None:
    page = client.get("/volgen").text
    field = re.search(r'<input id="meldcode"[^>]*>', page)
    assert field is not None
    assert 'autocomplete="off"' in field.group(0)
