"""Schemathesis against the app's OpenAPI: generated requests never cause a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from backend.app import create_app
from tests.backend.conftest import add_key, add_user, login, settings_for, submit


@pytest.fixture
def live(tmp_path: Path) -> Iterator[dict[str, Any]]:
    app = create_app(settings_for(f"sqlite:///{tmp_path / 'schema.db'}"))
    with TestClient(app) as client:
        add_key(client)
        add_user(client, "co", rol="coordinator")
        submit(client, toestemming=True)
        yield {"app": app, "client": client}


def _operations() -> list[tuple[str, str]]:
    spec = create_app(settings_for("sqlite://")).openapi()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_server_errors(live: dict[str, Any], method: str, path: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", live["app"])
    operation = schema[path][method]
    needs_login = path.startswith("/api/v1/loket") and path != "/api/v1/loket/login"

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        headers = login(live["client"], "co") if needs_login else None
        response = case.call(headers=headers)
        assert response.status_code < 500, (method, path, response.status_code)
        if response.status_code >= 400:
            body = response.json()
            assert body["error"]["nl"] and body["error"]["en"]

    run()


def test_every_operation_documents_examples_or_schemas(live: dict[str, Any]) -> None:
    spec = live["client"].get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if method == "post" and "requestBody" in op:
                content = op["requestBody"]["content"]["application/json"]
                ref = content["schema"].get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                model = spec["components"]["schemas"].get(name, {})
                assert (
                    content.get("examples")
                    or model.get("examples")
                    or any("examples" in p for p in model.get("properties", {}).values())
                ), (path, name)
