"""The meldcode and melder keys prepared during the summary are the right ones."""

from __future__ import annotations

import asyncio
import uuid

from actions.prepared_meldcodes import PreparedMeldcodes
from envelope.meldcode import normalize_meldcode
from envelope.melder_key import melder_keys


def test_the_prepared_keys_belong_to_the_prepared_meldcode() -> None:
    prepared = PreparedMeldcodes()
    melding_id = str(uuid.uuid4())
    prepared.prepare(melding_id)
    meldcode = prepared.meldcode(melding_id)
    assert meldcode is not None and len(normalize_meldcode(meldcode)) == 20
    prepared.prepare(melding_id)  # the summary shown again keeps the same code
    assert prepared.meldcode(melding_id) == meldcode
    keys = asyncio.run(prepared.melder_keys(meldcode, melding_id))
    assert keys == melder_keys(meldcode)
    assert prepared.meldcode(melding_id) is None  # used once, then forgotten


def test_another_meldcode_gets_its_own_keys() -> None:
    prepared = PreparedMeldcodes()
    melding_id = str(uuid.uuid4())
    prepared.prepare(melding_id)
    other = "7KQ4-M2XD-9RTA-HB3C-W5NP"
    assert prepared.meldcode(melding_id) != other
    assert asyncio.run(prepared.melder_keys(other, melding_id)) == melder_keys(other)


def test_without_preparation_the_keys_are_derived_on_demand() -> None:
    meldcode = "7KQ4-M2XD-9RTA-HB3C-W5NP"
    keys = asyncio.run(PreparedMeldcodes().melder_keys(meldcode, str(uuid.uuid4())))
    assert keys == melder_keys(meldcode)


def test_only_the_newest_conversations_are_kept() -> None:
    prepared = PreparedMeldcodes(capacity=2)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for melding_id in ids:
        prepared.prepare(melding_id)
    assert prepared.meldcode(ids[0]) is None
    assert all(prepared.meldcode(i) for i in ids[1:])
