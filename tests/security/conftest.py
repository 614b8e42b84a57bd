"""The attack suite runs against the real app (FastAPI TestClient, SQLite) with the
test action server's signing key registered, like tests/backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.backend.conftest import (  # noqa: F401 - fixtures used by name
    add_key,
    cheap_kdfs,
    settings_for,
    sqlite_template,
)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'security.db'}"


@pytest.fixture
def make_client(database_url: str) -> Iterator[Any]:
    """A started app with one loket key; ``make_client(**settings)`` for other settings."""
    opened: list[TestClient] = []

    def make(client: tuple[str, int] = ("198.51.100.7", 4000), **extra: Any) -> TestClient:
        test_client = TestClient(
            create_app(settings_for(database_url, **extra)), client=client
        ).__enter__()
        opened.append(test_client)
        if len(opened) == 1:
            add_key(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Any) -> TestClient:
    return make_client()  # type: ignore[no-any-return]
