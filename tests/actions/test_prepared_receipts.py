"""The meldcode and melder key prepared during the summary are the right ones."""

from __future__ import annotations

import asyncio
import uuid

from actions.prepared_receipts import PreparedReceipts
from envelope.melder_key import melder_recipient
from envelope.receipt import normalize_receipt


def test_the_prepared_key_belongs_to_the_prepared_meldcode() -> None:
    prepared = PreparedReceipts()
    melding_id = str(uuid.uuid4())
    prepared.prepare(melding_id)
    receipt = prepared.receipt(melding_id)
    assert receipt is not None and len(normalize_receipt(receipt)) == 16
    prepared.prepare(melding_id)  # the summary shown again keeps the same code
    assert prepared.receipt(melding_id) == receipt
    key = asyncio.run(prepared.melder_key(receipt, melding_id))
    assert key == melder_recipient(receipt, melding_id)
    assert prepared.receipt(melding_id) is None  # used once, then forgotten


def test_another_meldcode_gets_its_own_key() -> None:
    prepared = PreparedReceipts()
    melding_id = str(uuid.uuid4())
    prepared.prepare(melding_id)
    other = "7KQ4-M2XD-9RTA-HB3C"
    assert prepared.receipt(melding_id) != other
    assert asyncio.run(prepared.melder_key(other, melding_id)) == melder_recipient(
        other, melding_id
    )


def test_without_preparation_the_key_is_derived_on_demand() -> None:
    melding_id = str(uuid.uuid4())
    receipt = "7KQ4-M2XD-9RTA-HB3C"
    assert asyncio.run(PreparedReceipts().melder_key(receipt, melding_id)) == (
        melder_recipient(receipt, melding_id)
    )


def test_only_the_newest_conversations_are_kept() -> None:
    prepared = PreparedReceipts(capacity=2)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for melding_id in ids:
        prepared.prepare(melding_id)
    assert prepared.receipt(ids[0]) is None
    assert all(prepared.receipt(i) for i in ids[1:])
