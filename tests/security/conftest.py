"""Fixtures of the attack suite (issue #13).

* ``client`` / ``make_client``: the real app (FastAPI TestClient, SQLite) with the test
  action server's signing key registered, like tests/backend.
* ``security_system``: the real system for the tests of the melder's secret — Rasa
  (trained model), the action server and the backend, with a recording proxy between
  the action server and the backend: every request the action server makes is kept
  (method, path, headers, body) so a test can assert what the backend received. The
  tracker store is the production one (Redis) when Redis runs on this machine, else
  the in-memory one; either way the tests also read the tracker through Rasa's API.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from scripts.services import Ports, System, SystemConfig, free_port
from tests.backend.conftest import (  # noqa: F401 - fixtures used by name
    add_key,
    cheap_kdfs,
    settings_for,
    sqlite_template,
)

PASSPHRASE = "security-test-wachtzin-voor-het-loket"
REDIS_TRACKER_DB = 11
# A meldcode as the bot shows it (five groups; older codes four).
MELDCODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3,4}")
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


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


@dataclass
class Recorded:
    method: str
    path: str
    headers: str
    body: bytes

    def text(self) -> str:
        return f"{self.method} {self.path}\n{self.headers}\n{self.body.decode(errors='replace')}"


class RecordingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str) -> None:
        self.target = target
        self.requests: list[Recorded] = []
        super().__init__(("127.0.0.1", 0), _Forward)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(BaseHTTPRequestHandler):
    server: RecordingProxy

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(Recorded(self.command, self.path, str(self.headers), body))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        try:
            answer = httpx.request(
                self.command, self.server.target + self.path, headers=headers, content=body,
                timeout=30,
            )  # fmt: skip
        except httpx.HTTPError:
            self.send_error(502)
            return
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in _HOP and name.lower() != "content-encoding":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = _forward  # noqa: N815 - BaseHTTPRequestHandler's names


def redis(*args: str) -> str:
    return subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-n", str(REDIS_TRACKER_DB), *args],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout


def redis_runs() -> bool:
    if shutil.which("redis-cli") is None:
        return False
    try:
        return redis("ping").strip() == "PONG"
    except (OSError, subprocess.SubprocessError):
        return False


@dataclass
class SecuritySystem:
    system: System
    config: SystemConfig
    proxy: RecordingProxy
    workdir: Path
    uses_redis: bool
    shared: dict[str, Any] = field(default_factory=dict)

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.system.admin(*args)

    def tracker_dump(self, sender: str) -> str:
        """Everything the tracker store holds of this conversation (and all of Redis)."""
        parts = [
            httpx.get(f"{self.config.rasa_url}/conversations/{sender}/tracker", timeout=30).text
        ]
        if self.uses_redis:
            parts += [redis("get", key) for key in redis("--scan").split()]
        return "\n".join(parts)


@pytest.fixture(scope="session")
def security_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecuritySystem]:
    from scripts.train_model import model_for_tests

    workdir = tmp_path_factory.mktemp("security-system")
    ports = Ports(rasa=free_port(), actions=free_port(), backend=free_port())
    proxy = RecordingProxy(f"http://127.0.0.1:{ports.backend}")
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    uses_redis = redis_runs()
    extra = {"MELDWIJZER_BACKEND_URL": proxy.url, "MELDWIJZER_OUTBOX_INTERVAL": "1"}
    if uses_redis:
        redis("flushdb")
        extra |= {
            "MELDWIJZER_REDIS_HOST": "127.0.0.1",
            "MELDWIJZER_REDIS_PORT": "6379",
            "MELDWIJZER_REDIS_TRACKER_DB": str(REDIS_TRACKER_DB),
            "MELDWIJZER_REDIS_LOCK_DB": str(REDIS_TRACKER_DB + 1),
        }
    config = SystemConfig(
        model=model_for_tests(),
        database_url=f"sqlite:///{workdir / 'meldwijzer.db'}",
        log_dir=workdir / "logs",
        ports=ports,
        outbox=workdir / "outbox.sqlite3",
        extra_env=extra,
        **({"endpoints": "bot/endpoints.redis.yml"} if uses_redis else {}),
    )
    system = System(config)
    running = SecuritySystem(system, config, proxy, workdir, uses_redis)
    passphrase = workdir / "passphrase.txt"
    passphrase.write_text(PASSPHRASE)
    result = running.admin(
        "keys", "generate", "vertrouwenspersoon", "rotterdam", "--passphrase-file", str(passphrase)
    )
    assert result.returncode == 0, result.stderr
    running.shared["passphrase_file"] = passphrase
    try:
        system.start()
        yield running
    finally:
        system.stop()
        proxy.shutdown()
        if uses_redis:
            redis("flushdb")
