"""Entry point of the action server: ``python -m actions.server``.

Like ``python -m rasa_sdk`` but listens on loopback by default
(``MELDWIJZER_ACTIONS_HOST``), does not allow browser origins, writes no
access log, and runs the outbox worker that delivers meldingen the backend
could not take at the moment the melder confirmed.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from typing import Any

from rasa_sdk.endpoint import create_app

from actions.outbox import default_outbox, run_worker
from actions.privacy_check import warm_up
from actions.submission import deliver_from_outbox


def main() -> None:
    parser = argparse.ArgumentParser(description="Meldwijzer action server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("MELDWIJZER_ACTIONS_HOST", "127.0.0.1"))
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s - %(message)s",
    )
    app = create_app("actions", cors_origins=[])
    # The privacy check's lookup structures load at start, not on a melder's turn.
    threading.Thread(target=warm_up, name="privacy-check-warm-up", daemon=True).start()
    interval = float(os.environ.get("MELDWIJZER_OUTBOX_INTERVAL", "5"))

    async def start_outbox(app: Any, _loop: Any) -> None:
        app.add_task(run_worker(default_outbox(), deliver_from_outbox, interval))

    app.register_listener(start_outbox, "after_server_start")
    app.run(args.host, args.port, workers=1, access_log=False)
    # The server has stopped; every outbox row is committed (actions/outbox.py). Tearing
    # down the interpreter would now free deduce's ~1 GB of lookup structures object by
    # object (about 8 s after every stop or restart); leave without that.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
