"""The production configuration: PostgreSQL backend with two workers, Redis lock and
tracker store, two Rasa instances sharing them. One conversation moves between both instances;
afterwards nothing readable is left in the database dump, Redis, outbox or logs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.services import Ports, System, SystemConfig

from .conftest import ANSWERS, PASSPHRASE, Melder, RunningSystem, free_port
from .test_end_to_end import canary

pytestmark = pytest.mark.e2e

PG = "postgresql+psycopg2://postgres@127.0.0.1:5432"
REDIS_TRACKER_DB, REDIS_LOCK_DB = 7, 8


def _redis(*args: str) -> str:
    return subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", *args], capture_output=True, text=True, timeout=30
    ).stdout


def _services_reachable() -> str | None:
    if shutil.which("redis-cli") is None or _redis("ping").strip() != "PONG":
        return "Redis is not reachable on 127.0.0.1:6379"
    try:
        import psycopg2

        psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres").close()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL is not reachable on 127.0.0.1:5432 ({type(exc).__name__})"
    return None


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    reason = _services_reachable()
    if reason:
        pytest.skip(f"production configuration not tested: {reason}")
    import psycopg2

    name = f"meldwijzer_e2e_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    for db in (REDIS_TRACKER_DB, REDIS_LOCK_DB):
        _redis("-n", str(db), "flushdb")
    workdir = tmp_path_factory.mktemp("production")
    from scripts.train_model import ensure_model

    config = SystemConfig(
        model=ensure_model(),
        database_url=f"{PG}/{name}",
        log_dir=workdir / "logs",
        ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
        outbox=workdir / "outbox.sqlite3",
        endpoints="bot/endpoints.redis.yml",
        backend_workers=2,
        extra_env={
            "MELDWIJZER_REDIS_HOST": "127.0.0.1",
            "MELDWIJZER_REDIS_PORT": "6379",
            "MELDWIJZER_REDIS_TRACKER_DB": str(REDIS_TRACKER_DB),
            "MELDWIJZER_REDIS_LOCK_DB": str(REDIS_LOCK_DB),
        },
    )
    system = System(config)
    passphrase_file = workdir / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE)
    running = RunningSystem(system, config, workdir, passphrase_file)
    result = running.admin(
        "keys",
        "generate",
        "vertrouwenspersoon",
        "rotterdam",
        "--passphrase-file",
        str(passphrase_file),
    )
    assert result.returncode == 0, result.stderr
    try:
        system.start()
        running.replica_url = system.start_rasa_replica("rasa-2", free_port())  # type: ignore[attr-defined]
        yield running
    finally:
        system.stop()
        for db in (REDIS_TRACKER_DB, REDIS_LOCK_DB):
            _redis("-n", str(db), "flushdb")
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_conversation_continues_across_two_rasa_instances_and_leaves_nothing_readable(
    production: RunningSystem,
) -> None:
    secret = canary()
    melder = Melder(production.config.rasa_url)
    instances = [
        f"{production.config.rasa_url}/webhooks/rest/webhook",
        f"{production.replica_url}/webhooks/rest/webhook",  # type: ignore[attr-defined]
    ]

    def via(turn: int) -> Melder:
        melder.url = instances[turn % 2]  # every turn on the other instance
        return melder

    via(0).say("/greet")
    via(1).tell(f"Mijn collega's lachen me al maanden uit in de briefing. {secret}")
    assert "Bij welke eenheid" in melder.text
    turn = 1
    while (slot := melder.asked_slot()) is not None:  # the intake, turn by turn
        turn += 1
        via(turn).click(f'"{slot}": "{ANSWERS[slot]}"')
    via(turn + 1).click('"gekozen_loket":"vertrouwenspersoon"')
    while (slot := melder.asked_slot()) is not None:  # what the melding still needs
        turn += 1
        via(turn).click(f'"{slot}": "{ANSWERS[slot]}"')
    assert secret in melder.text  # the summary shows what the melder typed
    via(0).click("/verstuur")
    meldcode = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", melder.text)
    assert meldcode, melder.text

    keys = _redis("-n", str(REDIS_TRACKER_DB), "--scan").split()
    assert keys, "the tracker lives in Redis"
    ttls = [int(_redis("-n", str(REDIS_TRACKER_DB), "ttl", k).strip()) for k in keys]
    assert all(0 < ttl <= 3600 for ttl in ttls), ttls  # it expires

    via(1).say("/stop")  # snel weg: the conversation is forgotten at once

    opened = production.admin(
        "meldingen", "open", "vertrouwenspersoon", "rotterdam",
        "--passphrase-file", str(production.passphrase_file),
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    assert [json.loads(line)["beschrijving"] for line in opened.stdout.splitlines()] == [
        f"Mijn collega's lachen me al maanden uit in de briefing. {secret}"
    ]

    dump = subprocess.run(
        ["pg_dump", "-h", "127.0.0.1", "-U", "postgres",
         production.config.database_url.rsplit("/", 1)[1]],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert dump.returncode == 0 and "meldingen" in dump.stdout
    redis_values = "".join(
        _redis("-n", str(db), "get", k)
        for db in (REDIS_TRACKER_DB, REDIS_LOCK_DB)
        for k in _redis("-n", str(db), "--scan").split()
        if _redis("-n", str(db), "type", k).strip() == "string"
    )
    outbox = Path(production.config.outbox)
    logs = production.config.log_dir.glob("*")
    places = {
        "PostgreSQL dump": dump.stdout,
        "Redis": redis_values,
        "outbox": outbox.read_text(errors="ignore") if outbox.exists() else "",
        **{f"log {p.name}": p.read_text(errors="ignore") for p in logs},
    }
    for place, content in places.items():
        assert secret not in content, f"canary in clear in {place}"
        assert meldcode.group(0) not in content, f"meldcode in clear in {place}"
