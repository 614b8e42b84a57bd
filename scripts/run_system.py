"""``make run``: train if needed, prepare demo keys, start every service, print the chat URL.

One Ctrl-C stops everything.
"""

from __future__ import annotations

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


def main() -> int:
    model = ensure_model()
    config = SystemConfig(
        model=model,
        database_url=f"sqlite:///{VAR / 'meldwijzer.db'}",
        log_dir=VAR / "logs",
    )
    env_db = {"DATABASE_URL": config.database_url}
    subprocess.run(
        [str(BACKEND_PYTHON), "-m", "backend.cli", "keys", "demo", str(DEMO_PASSPHRASE)],
        cwd=ROOT,
        check=True,
        env={**System(config).env(), **env_db},
    )
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
  Action server:  {config.actions_url}
  Logs:           {config.log_dir}
Read the meldingen of a loket (demo keys, passphrase in {DEMO_PASSPHRASE.relative_to(ROOT)}):
  make inbox LOKET=vertrouwenspersoon EENHEID=rotterdam
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
