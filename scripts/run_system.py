"""``make run``: train if needed, prepare demo keys, start every service, print the chat URL.

One Ctrl-C stops everything.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.services import BACKEND_PYTHON, ROOT, System, SystemConfig  # noqa: E402
from scripts.train_model import ensure_model  # noqa: E402

VAR = ROOT / "var"
DEMO_PASSPHRASE = VAR / "demo" / "passphrase.txt"
DEMO_PASSWORD = VAR / "demo" / "loket-demo-password.txt"
DEMO_TERMIJNEN = ROOT / "scripts" / "demo_termijnen.yaml"


def admin(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BACKEND_PYTHON), "-m", "backend.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip


def prepare_demo(env: dict[str, str]) -> None:
    """Demo keys for every digital loket and one demo loket user (first start only)."""
    result = admin(env, "keys", "demo", str(DEMO_PASSPHRASE))
    if result.returncode != 0:
        raise SystemExit(f"Could not prepare the demo keys:\n{result.stderr}")
    if not DEMO_PASSWORD.exists():
        DEMO_PASSWORD.write_text(secrets.token_urlsafe(18) + "\n")
        DEMO_PASSWORD.chmod(0o600)
    users = admin(env, "users", "list").stdout
    if "demo" not in users.split():
        created = admin(
            env, "users", "create", "vertrouwenspersoon", "rotterdam", "demo",
            "--rol", "coordinator", "--passphrase-file", str(DEMO_PASSPHRASE),
            "--password-file", str(DEMO_PASSWORD),
        )  # fmt: skip
        if created.returncode != 0:
            print(f"Note: no demo loket user ({created.stderr.strip()[-300:]})", file=sys.stderr)


def main() -> int:
    model = ensure_model()
    config = SystemConfig(
        model=model,
        database_url=f"sqlite:///{VAR / 'meldwijzer.db'}",
        log_dir=VAR / "logs",
        # Demo setting: an example afspraak for VIK, so all three kinds of clock show.
        extra_env={
            "MELDWIJZER_TERMIJNEN": os.environ.get("MELDWIJZER_TERMIJNEN", str(DEMO_TERMIJNEN))
        },
    )
    prepare_demo(System(config).env())
    system = System(config)
    print("Starting backend, action server and Rasa server ...", flush=True)
    try:
        system.start()
    except (RuntimeError, TimeoutError) as exc:
        print(f"Could not start Meldwijzer: {exc}", file=sys.stderr)
        system.stop()
        return 1
    print(
        f"""
Meldwijzer is running.
  Chat:           {config.chat_url}
  Backend API:    {config.backend_url}/docs
  Rasa server:    {config.rasa_url}  (REST: /webhooks/rest/webhook)
                  HTTP API only with ?token={config.rasa_token}
  Action server:  {config.actions_url}
  Logs:           {config.log_dir}
Read the meldingen of a loket (demo keys, passphrase in {DEMO_PASSPHRASE.relative_to(ROOT)}):
  make inbox LOKET=vertrouwenspersoon EENHEID=rotterdam
Loket API demo user: vertrouwenspersoon/rotterdam "demo", password in
  {DEMO_PASSWORD.relative_to(ROOT)}
Stop with Ctrl-C.""",
        flush=True,
    )
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for name, process in list(system.processes.items()):
                if process.poll() is not None:
                    print(f"{name} stopped unexpectedly; see {config.log_dir}/{name}.log")
                    stopping = True
            time.sleep(0.5)
    finally:
        print("\nStopping Meldwijzer ...", flush=True)
        system.stop()
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
