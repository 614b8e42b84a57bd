"""scripts/services.py: the commands that start the services."""

from __future__ import annotations

import argparse
from pathlib import Path

from scripts.services import Ports, System, SystemConfig


def test_a_rasa_token_that_starts_with_a_dash_reaches_rasa_whole(tmp_path: Path) -> None:
    """``secrets.token_urlsafe`` may start a token with "-": as a separate argument, Rasa's
    argument parser read it as an option and Rasa did not start (once in about 64 starts)."""
    token = "-Xq3vN0pZ_leading-dash-token"
    config = SystemConfig(
        model=tmp_path / "model.tar.gz",
        database_url="sqlite://",
        log_dir=tmp_path,
        ports=Ports(rasa=5105, actions=5155, backend=8100),
        rasa_token=token,
    )
    command = System(config).commands()["rasa"]
    # The same option as `rasa run` declares it (rasa/cli/arguments/run.py).
    parser = argparse.ArgumentParser()
    parser.add_argument("-t", "--auth-token", type=str)
    parsed, _ = parser.parse_known_args(command)
    assert parsed.auth_token == token
