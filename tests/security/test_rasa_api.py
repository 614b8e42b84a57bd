"""Attack probe on the Rasa HTTP API (security review, finding 10).

It used to run with ``--enable-api`` and no token: anybody who reached port 5005 could
read every conversation (``/conversations/<id>/tracker``), rewrite it or replace the
model. Now the real Rasa server, started as ``make run`` starts it, answers the API
only with the token; the chat channel needs none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.services import Ports, System, SystemConfig, free_port
from scripts.train_model import model_for_tests


@pytest.fixture(scope="module")
def rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SystemConfig]:
    workdir: Path = tmp_path_factory.mktemp("rasa-api")
    config = SystemConfig(
        model=model_for_tests(),
        database_url=f"sqlite:///{workdir / 'unused.db'}",
        log_dir=workdir / "logs",
        ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
    )
    system = System(config)
    try:
        system.start_one("rasa")
        system.wait_ready("rasa")
        yield config
    finally:
        system.stop()


def test_the_rasa_api_refuses_requests_without_the_token(rasa: SystemConfig) -> None:
    tracker = f"{rasa.rasa_url}/conversations/iemand/tracker"
    parse = f"{rasa.rasa_url}/model/parse"
    assert httpx.get(tracker, timeout=30).status_code == 401
    assert httpx.post(parse, json={"text": "ik word gepest"}, timeout=30).status_code == 401
    wrong = httpx.get(tracker, params={"token": "geraden"}, timeout=30)
    assert wrong.status_code == 401


def test_the_rasa_api_works_with_the_token_and_the_chat_without(rasa: SystemConfig) -> None:
    parse = httpx.post(rasa.rasa_api("/model/parse"), json={"text": "ik word gepest"}, timeout=60)
    assert parse.status_code == 200 and parse.json()["intent"]["name"]
    chat = httpx.post(
        f"{rasa.rasa_url}/webhooks/rest/webhook",
        json={"sender": "beveiligingstest", "message": "/greet"},
        timeout=60,
    )
    assert chat.status_code == 200
