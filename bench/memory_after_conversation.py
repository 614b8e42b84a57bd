"""Resident memory of each service after one complete conversation.

Run by hand: .venv-backend/bin/python bench/memory_after_conversation.py
Starts the system on free ports with a temporary database, sends one melding
through the REST channel, and prints the RSS (VmRSS, incl. child processes).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.services import (  # noqa: E402
    BACKEND_PYTHON,
    Ports,
    System,
    SystemConfig,
    free_port,
)
from scripts.train_model import ensure_model  # noqa: E402

# The story tells who (a group), how long (months) and that it happened to the melder;
# the bot asks only the rest (issue 11), so this is the whole conversation.
CONVERSATION = [
    "/greet",
    "Mijn collega's lachen me al maanden uit bij de briefing en negeren me in de app-groep.",
    "/bevestig_categorie",
    '/inform{"eenheid": "rotterdam"}',
    '/inform{"eerder_gemeld": "nee"}',
    '/inform{"wens": "steun"}',
    '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}',
    '/inform{"anoniem": "ja"}',
    '/inform{"toestemming_doorsturen": "nee"}',
    "/verstuur",
]


def rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants, in KiB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        total += next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
        )
        pids += [int(c) for c in children]
    return total


def system_for(tmp: str, database_url: str | None = None) -> System:
    """A system on free ports with a temporary database and a vertrouwenspersoon key."""
    config = SystemConfig(
        model=ensure_model(),
        database_url=database_url or f"sqlite:///{tmp}/bench.db",
        log_dir=Path(tmp) / "logs",
        ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
        outbox=Path(tmp) / "outbox.sqlite3",
        # The benchmarks measure throughput, not the submission limit (docs/security.md).
        extra_env={
            "MELDWIJZER_MELDINGEN_PER_MINUUT": "100000",
            "MELDWIJZER_MELDINGEN_PER_MINUUT_TOTAAL": "100000",
        },
    )
    system = System(config)
    (Path(tmp) / "pass.txt").write_text("benchmark-wachtzin-123")
    subprocess.run(
        [str(BACKEND_PYTHON), "-m", "backend.cli", "keys", "generate", "vertrouwenspersoon",
         "rotterdam", "--passphrase-file", f"{tmp}/pass.txt"],
        cwd=ROOT, env=system.env(), check=True, capture_output=True,
    )  # fmt: skip
    return system


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        system = system_for(tmp)
        started = time.monotonic()
        system.start()
        print(f"all services ready in {time.monotonic() - started:.1f} s")
        try:
            url = f"{system.config.rasa_url}/webhooks/rest/webhook"
            for message in CONVERSATION:
                reply = httpx.post(url, json={"sender": "bench", "message": message}, timeout=60)
                reply.raise_for_status()
            assert "Je melding is verstuurd" in str(reply.json()), reply.text
            rss = {name: rss_kib(pid) / 1024 for name, pid in system.pids().items()}
            for name, mib in rss.items():
                print(f"{name:8} RSS {mib:7.1f} MiB")
        finally:
            system.stop()
    floor = empty_project_rss()
    print(f"empty Rasa project RSS {floor:7.1f} MiB (one message, measured the same way)")
    print(f"rasa / empty project: {rss['rasa'] / floor:.2f}x")


def empty_project_rss() -> float:
    """RSS of an empty Rasa project's server after one message (the framework's floor)."""
    from bench.run_benchmarks import empty_project_server

    with empty_project_server() as (base, proc):
        httpx.post(f"{base}/webhooks/rest/webhook", json={"sender": "b", "message": "hallo"})
        return rss_kib(proc.pid) / 1024


if __name__ == "__main__":
    main()
