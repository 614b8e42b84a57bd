"""Start and stop the three Meldwijzer services as child processes.

Used by ``make run`` (scripts/run_system.py) and by the integration tests.
Stdlib and the shared ``envelope`` package only. Logs go to one file per service;
no service logs message text.

Two secrets are made here so that the system works with no manual step:

- the action server's **signing key** (``SystemConfig.signing_key``, made on first
  start, owner-only): its public half is registered with the backend in
  ``MELDWIJZER_ACTIESERVERS``, so only this action server can submit meldingen;
- the Rasa HTTP API **token** (``SystemConfig.rasa_token``, from
  ``MELDWIJZER_RASA_TOKEN`` or random per start): the API (``/model/parse``,
  trackers, ``/status``) answers only with ``?token=``; the chat channels need none.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from envelope.request_signing import ensure_signing_key

ROOT = Path(__file__).resolve().parent.parent
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
BACKEND_PYTHON = ROOT / ".venv-backend" / "bin" / "python"


@dataclass
class Ports:
    rasa: int = int(os.environ.get("MELDWIJZER_RASA_PORT", "5005"))
    actions: int = int(os.environ.get("MELDWIJZER_ACTIONS_PORT", "5055"))
    backend: int = int(os.environ.get("MELDWIJZER_BACKEND_PORT", "8000"))


@dataclass
class SystemConfig:
    model: Path
    database_url: str
    log_dir: Path
    ports: Ports = field(default_factory=Ports)
    host: str = "127.0.0.1"
    outbox: Path = ROOT / "var" / "outbox.sqlite3"
    endpoints: str = "bot/endpoints.yml"
    backend_workers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    # The action server's signing key file (default: next to the log directory).
    signing_key: Path | None = None
    rasa_token: str = field(
        default_factory=lambda: os.environ.get("MELDWIJZER_RASA_TOKEN") or secrets.token_urlsafe(24)
    )

    @property
    def signing_key_file(self) -> Path:
        return self.signing_key or self.log_dir.parent / "actieserver-sleutel.txt"

    def rasa_api(self, path: str) -> str:
        """A Rasa HTTP API URL with the token (the API refuses requests without it)."""
        separator = "&" if "?" in path else "?"
        return f"{self.rasa_url}{path}{separator}token={quote(self.rasa_token)}"

    @property
    def backend_url(self) -> str:
        return f"http://{self.host}:{self.ports.backend}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.ports.actions}"

    @property
    def chat_url(self) -> str:
        return f"http://localhost:{self.ports.backend}/chat"


def free_port() -> int:
    """A free TCP port on loopback (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_json(url: str, body: object | None = None, timeout: float = 30) -> object:
    if not url.startswith(("http://", "https://")):
        raise ValueError("only http(s) URLs")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


def _ready(url: str) -> bool:
    try:
        http_json(url, timeout=2)
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _wait_or_kill(process: subprocess.Popen[bytes], timeout: float) -> None:
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class System:
    """The backend, the action server and the Rasa server."""

    def __init__(self, config: SystemConfig) -> None:
        self.config = config
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.extra_health: dict[str, str] = {}

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``meldwijzer-admin`` against this system's database and keys."""
        return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
            [str(BACKEND_PYTHON), "-m", "backend.cli", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def env(self) -> dict[str, str]:
        c = self.config
        key = ensure_signing_key(c.signing_key_file)
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": c.database_url,
            "MELDWIJZER_BACKEND_URL": c.backend_url,
            "MELDWIJZER_RASA_URL": f"http://localhost:{c.ports.rasa}",
            "ACTION_ENDPOINT_URL": f"{c.actions_url}/webhook",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "LOG_LEVEL": "INFO",
            "RASA_TELEMETRY_ENABLED": "false",
            "MELDWIJZER_OUTBOX": str(c.outbox),
            # The action server signs with its key; the backend knows its public half.
            "MELDWIJZER_ACTIESERVER_SLEUTEL": str(c.signing_key_file),
            "MELDWIJZER_ACTIESERVERS": f"demo={key.public_text}",
            **c.extra_env,
        }

    def commands(self) -> dict[str, list[str]]:
        c = self.config
        return {
            "backend": [
                str(BACKEND_PYTHON),
                "-m",
                "uvicorn",
                "backend.asgi:app",
                "--host",
                c.host,
                "--port",
                str(c.ports.backend),
                "--no-access-log",  # access logs would hold melders' IP addresses
                "--workers",
                str(c.backend_workers),
            ],
            "actions": [
                str(BOT_PYTHON),
                "-m",
                "actions.server",
                "--host",
                c.host,
                "--port",
                str(c.ports.actions),
            ],  # fmt: skip
            "rasa": [
                str(BOT_PYTHON),
                "-m",
                "rasa",
                "run",
                "--model",
                str(c.model),
                "--endpoints",
                c.endpoints,
                "--credentials",
                "bot/credentials.yml",
                "--interface",
                c.host,
                "--port",
                str(c.ports.rasa),
                "--enable-api",  # /model/parse (CONTRACT §4); only with the token
                # One argument: a random token may start with "-" (token_urlsafe), which
                # "--auth-token TOKEN" would read as an option (rasa exits with code 2).
                f"--auth-token={c.rasa_token}",
                "--cors",
                f"http://localhost:{c.ports.backend}",
                "--cors",
                f"http://127.0.0.1:{c.ports.backend}",
            ],
        }

    def health_urls(self) -> dict[str, str]:
        c = self.config
        return {
            "backend": f"{c.backend_url}/health",
            "actions": f"{c.actions_url}/health",
            "rasa": c.rasa_api("/status"),
            **self.extra_health,
        }

    def start_rasa_replica(self, name: str, port: int, timeout: float = 300) -> str:
        """Another Rasa server on ``port`` with the same model and stores (scale-out)."""
        command = self.commands()["rasa"]
        command[command.index("--port") + 1] = str(port)
        self.extra_health[name] = (
            f"http://{self.config.host}:{port}/status?token={quote(self.config.rasa_token)}"
        )
        self.start_one(name, command)
        self.wait_ready(name, timeout)
        return f"http://{self.config.host}:{port}"

    def start(self, timeout: float = 300) -> None:
        """Start every service at once and wait until all answer (none needs another
        to start: the action server and Rasa reach the others per request). A service
        that does not come up stops the ones that did."""
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        commands = self.commands()
        for name, command in commands.items():
            self.start_one(name, command)
        try:
            for name in commands:
                self.wait_ready(name, timeout)
        except BaseException:
            self.stop()
            raise

    def start_one(self, name: str, command: list[str] | None = None) -> None:
        command = command or self.commands()[name]
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.config.log_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, name: str, timeout: float = 300) -> None:
        url = self.health_urls()[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} stopped with exit code {process.returncode}; "
                    f"see {self.config.log_dir / (name + '.log')}"
                )
            if _ready(url):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{name} was not ready within {timeout:.0f} s")

    def stop_one(self, name: str, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        _wait_or_kill(process, timeout)

    def stop(self, timeout: float = 15) -> None:
        """Ask every service to stop at once, then wait for each (killed after ``timeout``)."""
        running = [p for p in self.processes.values() if p.poll() is None]
        self.processes.clear()
        for process in running:
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            _wait_or_kill(process, max(0.1, deadline - time.monotonic()))

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items()}
