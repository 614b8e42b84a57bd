"""The melder's name and contact (slots melder_naam, melder_contact) never reach a log,
also at DEBUG, where Rasa logs every slot value: protected like the description."""

from __future__ import annotations

import logging

import pytest
import structlog
from rasa.utils.log_utils import configure_structlog

import bot.log_redaction  # noqa: F401 - installs the plugin


def test_slot_values_with_the_identity_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    configure_structlog(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        structlog.get_logger().debug(
            "processor.slots.log",
            slot_values="\tmelder_naam: Kanarie Testpersoon\n\tmelder_contact: 06 12345678",
        )
        structlog.get_logger().debug(
            "forms.slots.candidates",  # as the form logs its slot candidates
            slot_candidates=[{"name": "melder_naam", "value": "Kanarie Testpersoon"}],
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "processor.slots.log" in logged and "[weggelaten]" in logged
    assert "Kanarie" not in logged and "12345678" not in logged
