"""Rasa's structured logs never hold what the melder typed, also at DEBUG."""

from __future__ import annotations

import logging

import pytest
import structlog
from rasa.utils.log_utils import configure_structlog

import bot.log_redaction  # noqa: F401 - installs the plugin


def test_debug_log_events_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    configure_structlog(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        structlog.get_logger().debug(
            "processor.message.parse",
            parse_data_text="CANARY-mijn OE pest mij",
            parse_data_entities=[{"value": "CANARY-rotterdam"}],
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "processor.message.parse" in logged
    assert "CANARY" not in logged
    assert "[weggelaten]" in logged
