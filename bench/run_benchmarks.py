"""Meldwijzer benchmarks: run by hand, print figures, write docs/performance.md.

    .venv-backend/bin/python bench/run_benchmarks.py [--melders 100]

Measures, on this machine, in one run:
  1. single melder: NLU parse and full REST turn latency (p50/p95), and the same
     turn latency of an empty Rasa project (the framework's floor) as a ratio;
  2. N simulated melders at once completing a full intake with confirmation;
  3. the backend alone: sealed meldingen accepted per second, SQLite and PostgreSQL;
  4. training time, model size and resident memory of each service.
Not part of `make test`; no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.melding import build_melding, now_iso, sealed_submission  # noqa: E402
from bench.memory_after_conversation import CONVERSATION, rss_kib, system_for  # noqa: E402
from envelope.meldcode import new_meldcode  # noqa: E402
from envelope.melder_key import melder_keys  # noqa: E402
from envelope.request_signing import SigningKey  # noqa: E402
from scripts.services import BACKEND_PYTHON, BOT_PYTHON, System, free_port  # noqa: E402
from scripts.train_model import MODELS, ensure_model  # noqa: E402

EMPTY_PROJECT = ROOT / "bench" / "empty_project"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


@contextmanager
def empty_project_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """An empty Rasa project's server on a free port, ready; yields its URL and process."""
    port = free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.Popen(
        [str(BOT_PYTHON), "-m", "rasa", "run", "--model", str(empty_model()), "--port", str(port),
         "--interface", "127.0.0.1"],
        cwd=EMPTY_PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait()


def empty_model() -> Path:
    target = MODELS / "bench-empty-project.tar.gz"
    if not target.exists():
        subprocess.run(
            [str(BOT_PYTHON), "-m", "rasa", "train", "--config", "config.yml", "--domain",
             "domain.yml", "--data", "data", "--out", str(MODELS), "--fixed-model-name",
             "bench-empty-project"],
            cwd=EMPTY_PROJECT, check=True, capture_output=True,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )  # fmt: skip
    return target


def turn_latencies(url: str, messages: list[str], rounds: int, think: float = 0.0) -> list[float]:
    times = []
    with httpx.Client(timeout=60) as client:
        for _ in range(rounds):
            sender = str(uuid.uuid4())
            for message in messages:
                time.sleep(think)  # the melder reads the answer (not timed)
                started = time.perf_counter()
                client.post(url, json={"sender": sender, "message": message}).raise_for_status()
                times.append(time.perf_counter() - started)
    return times


def single_melder(system: System, rounds: int, think: float) -> dict[str, Any]:
    c = system.config
    with httpx.Client(timeout=60) as client:
        parse = []
        for text in ["Mijn ploeg lacht me uit bij de briefing.", "ik wil alleen informatie"] * 50:
            started = time.perf_counter()
            client.post(c.rasa_api("/model/parse"), json={"text": text}).raise_for_status()
            parse.append(time.perf_counter() - started)
    turns = turn_latencies(f"{c.rasa_url}/webhooks/rest/webhook", CONVERSATION, rounds, think)
    # The framework's floor: an empty Rasa project (one rule, no actions) on this machine.
    with empty_project_server() as (base, _):
        floor = turn_latencies(f"{base}/webhooks/rest/webhook", ["hallo"] * 10, rounds)
    return {
        "parse_p50": pct(parse, 50), "parse_p95": pct(parse, 95),
        "turn_p50": pct(turns, 50), "turn_p95": pct(turns, 95),
        "floor_p50": pct(floor, 50), "floor_p95": pct(floor, 95),
        "ratio_p50": pct(turns, 50) / pct(floor, 50), "turns": len(turns), "think": think,
    }  # fmt: skip


async def one_melder(
    client: httpx.AsyncClient,
    url: str,
    latencies: list[float],
    think: tuple[float, float],
    rng: random.Random,
) -> bool:
    sender = str(uuid.uuid4())
    reply: Any = None
    for message in CONVERSATION:
        if think[1] > 0:  # reading the bot's answer and choosing a button
            await asyncio.sleep(rng.uniform(*think))
        started = time.perf_counter()
        response = await client.post(url, json={"sender": sender, "message": message})
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        reply = response.json()
    return "Je melding is verstuurd" in json.dumps(reply, ensure_ascii=False)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants."""
    ticks, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
        pids += [int(c) for c in children]
    return ticks / os.sysconf("SC_CLK_TCK")


def stored_meldingen(system: System) -> int:
    listed = subprocess.run(
        [str(BACKEND_PYTHON), "-m", "backend.cli", "meldingen", "list", "vertrouwenspersoon",
         "rotterdam"], cwd=ROOT, env=system.env(), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return len(listed.splitlines())


async def many_melders(
    system: System, melders: int, think: tuple[float, float], seed: int = 7
) -> dict[str, Any]:
    """``melders`` start at the same moment; each completes an intake and confirms."""
    url = f"{system.config.rasa_url}/webhooks/rest/webhook"
    before = stored_meldingen(system)
    latencies: list[float] = []
    rng = random.Random(seed)
    cpu_before = {name: cpu_seconds(pid) for name, pid in system.pids().items()}
    started = time.perf_counter()
    async with httpx.AsyncClient(
        timeout=120, limits=httpx.Limits(max_connections=melders)
    ) as client:
        results = await asyncio.gather(
            *(one_melder(client, url, latencies, think, rng) for _ in range(melders)),
            return_exceptions=True,
        )
    elapsed = time.perf_counter() - started
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in system.pids().items()}
    completed = sum(1 for r in results if r is True)
    stored = stored_meldingen(system) - before
    return {
        "melders": melders,
        "think": list(think),
        "completed": completed,
        "errors": sum(1 for r in results if r is not True),
        "stored": stored,
        "lost": completed - stored,
        "p50": pct(latencies, 50), "p95": pct(latencies, 95), "p99": pct(latencies, 99),
        "seconds": elapsed,
        "turns_per_second": len(latencies) / elapsed,
        "cpu_seconds": cpu,
    }  # fmt: skip


async def backend_throughput(system: System, count: int = 300, concurrency: int = 20) -> float:
    c = system.config
    async with httpx.AsyncClient(timeout=60) as client:
        key = (
            await client.get(
                f"{c.backend_url}/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey"
            )
        ).json()
        slots = {"categorie": "pesten", "beschrijving": "Benchmarktekst.", "eenheid": "rotterdam"}
        bodies = []
        for _ in range(count):
            melding_id = str(uuid.uuid4())
            melding = build_melding(slots, melding_id, "vertrouwenspersoon", now_iso())
            # The melder's keys are derived on the melder's side, before the clock runs.
            keys = melder_keys(new_meldcode())
            bodies.append((melding_id, sealed_submission(melding, key, keys)))
        # Signed as the action server signs (at sending time, so never stale).
        signing = SigningKey.load(c.signing_key_file)
        queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        for item in bodies:
            queue.put_nowait(item)

        async def worker() -> None:
            while not queue.empty():
                melding_id, body = queue.get_nowait()
                data = json.dumps(body).encode()
                response = await client.post(
                    f"{c.backend_url}/api/v1/meldingen", content=data,
                    headers={
                        "Idempotency-Key": melding_id, "Content-Type": "application/json",
                        **signing.sign("POST", "/api/v1/meldingen", data),
                    },
                )  # fmt: skip
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


def postgres_url() -> str | None:
    try:
        import psycopg2

        name = f"meldwijzer_bench_{uuid.uuid4().hex[:8]}"
        conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    except Exception:  # noqa: BLE001
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--melders", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--single-think", type=float, default=0.5,
        help="seconds the single melder pauses before each turn (default 0.5)",
    )  # fmt: skip
    parser.add_argument(
        "--think", default="2-6",
        help="seconds a melder takes per turn to read and click, as MIN-MAX (default 2-6)",
    )  # fmt: skip
    args = parser.parse_args()
    model = ensure_model()
    results: dict[str, Any] = {
        "model_mib": model.stat().st_size / 2**20,
        "training_s": (MODELS / "last-training-seconds.txt").read_text().strip()
        if (MODELS / "last-training-seconds.txt").exists() else "cached",
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        system = system_for(tmp)
        system.start()
        try:
            results["single"] = single_melder(system, args.rounds, args.single_think)
            print("single melder:", json.dumps(results["single"], indent=1))
            results["rss"] = {n: rss_kib(p) / 1024 for n, p in system.pids().items()}
            think = tuple(float(x) for x in args.think.split("-", 1))
            results["many"] = asyncio.run(many_melders(system, args.melders, think))  # type: ignore[arg-type]
            print("many melders:", json.dumps(results["many"], indent=1))
            # The same melders without any think time: what the machine can take.
            results["stress"] = asyncio.run(many_melders(system, args.melders, (0.0, 0.0)))
            print("stress:", json.dumps(results["stress"], indent=1))
            results["rss_after_load"] = {n: rss_kib(p) / 1024 for n, p in system.pids().items()}
            results["backend_sqlite"] = asyncio.run(backend_throughput(system))
        finally:
            system.stop()
    pg = postgres_url()
    if pg:
        with tempfile.TemporaryDirectory() as tmp:
            system = system_for(tmp, pg)
            system.start_one("backend")
            system.wait_ready("backend")
            try:
                results["backend_postgres"] = asyncio.run(backend_throughput(system))
            finally:
                system.stop()
    print("backend:", results.get("backend_sqlite"), results.get("backend_postgres"))
    write_report(results, args)


# Hand-written: what profiling found and what was changed (kept in the report as is).
WHERE_THE_TIME_GOES = (Path(__file__).parent / "where_the_time_goes.md").read_text(encoding="utf-8")


def write_report(r: dict[str, Any], args: argparse.Namespace) -> None:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    s, m, st = r["single"], r["many"], r["stress"]
    pg = r.get("backend_postgres")
    text = (
        f"""# Performance

Measured by `bench/run_benchmarks.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,
{os.cpu_count()} cores ({cpu}), {platform.platform()}. Embedded defaults (SQLite,
in-memory tracker store) unless stated. Run it again for current figures; the
machine is shared and noisy, so compare the ratio more than the absolute times.

## One melder

| measure | p50 | p95 |
|---|---|---|
| NLU parse (`POST /model/parse`) | {s["parse_p50"]:.0f} ms | {s["parse_p95"]:.0f} ms |
| full REST turn (Meldwijzer, {s["turns"]} turns of a complete melding, {s["think"]:g} s pause before each) | {s["turn_p50"]:.0f} ms | {s["turn_p95"]:.0f} ms |
| REST turn of an empty Rasa project (framework floor) | {s["floor_p50"]:.0f} ms | {s["floor_p95"]:.0f} ms |

Meldwijzer turn / empty-project turn (p50): **{s["ratio_p50"]:.1f}×**. Target: p95 ≤ 150 ms.

## {m["melders"]} melders at once

All {m["melders"]} start at the same moment; each completes the whole intake and
confirms a melding ({len(CONVERSATION)} turns). Before every turn a melder takes
{m["think"][0]:g}–{m["think"][1]:g} s (uniformly random) to read the answer and
click — quick for a person; a melder typing their story takes much longer.

| completed | errors | meldingen stored | lost | p50 | p95 | p99 | turns/s | wall time |
|---|---|---|---|---|---|---|---|---|
| {m["completed"]} | {m["errors"]} | {m["stored"]} | {m["lost"]} | {m["p50"]:.0f} ms | {m["p95"]:.0f} ms | {m["p99"]:.0f} ms | {m["turns_per_second"]:.1f} | {m["seconds"]:.1f} s |

Targets: 0 errors, 0 lost meldingen, turn p95 ≤ 1 s.

CPU used meanwhile: {", ".join(f"{n} {v:.1f} s" for n, v in m["cpu_seconds"].items())}
({sum(m["cpu_seconds"].values()) / m["seconds"]:.2f} of {os.cpu_count()} cores on average).

**Capacity (stress, not a target).** The same {st["melders"]} melders with no think
time at all, each sending its next turn the moment the last answer arrives:

| completed | errors | meldingen stored | lost | p50 | p95 | p99 | turns/s | wall time |
|---|---|---|---|---|---|---|---|---|
| {st["completed"]} | {st["errors"]} | {st["stored"]} | {st["lost"]} | {st["p50"]:.0f} ms | {st["p95"]:.0f} ms | {st["p99"]:.0f} ms | {st["turns_per_second"]:.1f} | {st["seconds"]:.1f} s |

With {st["melders"]} requests always waiting, latency is simply {st["melders"]} ÷ the
throughput (Little's law); the throughput is the figure to compare between runs.

## Backend alone

Sealed meldingen accepted per second (20 concurrent clients, 300 meldingen,
each with a check of the melder's key and signature): SQLite **{r["backend_sqlite"]:.0f}/s**,
PostgreSQL **{f"{pg:.0f}/s" if pg else "not measured (no server)"}**.

{WHERE_THE_TIME_GOES}
## Model and memory

Model size {r["model_mib"]:.1f} MiB; last training {r["training_s"]} s.

| service | RSS after one melder | RSS after the load test |
|---|---|---|
"""
        + "\n".join(
            f"| {n} | {r['rss'][n]:.0f} MiB | {r['rss_after_load'][n]:.0f} MiB |" for n in r["rss"]
        )
        + "\n"
    )
    (ROOT / "docs" / "performance.md").write_text(text)
    print("written docs/performance.md")


if __name__ == "__main__":
    main()
