"""The outbox holds nothing that opens a melding (issue #13, finding 2).

The attack of the finding: from the outbox file alone, take the meldcode, derive the
melder's key and open the sealed melding. ``probe`` does exactly that with whatever
in the file looks like a meldcode (any spelling, both forms); it must find nothing.
It is shown to work on a row as the old action server wrote it, so the test can fail.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from actions.melding import build_melding, sealed_submission
from actions.outbox import Outbox
from envelope.meldcode import MeldcodeFormatError, format_meldcode, is_legacy, new_meldcode
from envelope.melder_key import melder_keys, melder_private_key, melder_recipient
from envelope.sealing import (
    Recipient,
    SealError,
    b64e,
    envelope_header,
    generate_keypair,
    key_id,
    open_sealed,
    seal,
)
from tests.canaries import canary as make_canary
from tests.integration.conftest import Melder

from .conftest import MELDCODE, SecuritySystem

CANARY = make_canary("CANARY", 10)
# A meldcode as it would be written down: in groups, or 16/20 characters in one word.
_TOKEN = re.compile(
    r"(?<![0-9A-Za-z+/])(?:[0-9A-Za-z]{4}(?:[- ][0-9A-Za-z]{4}){3,4}|[0-9A-Za-z]{20}"
    r"|[0-9A-Za-z]{16})(?![0-9A-Za-z+/=])"
)


def candidates(raw: str) -> set[str]:
    """Everything in the file that reads as a meldcode (either form)."""
    found = set()
    for match in _TOKEN.finditer(raw):
        try:
            found.add(format_meldcode(match.group(0)))
        except MeldcodeFormatError:
            continue
    return found


def probe(path: Path) -> list[str]:
    """Open any melding in the outbox with a key derived from a code found in the file."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    with sqlite3.connect(path) as db:
        bodies = [json.loads(b) for (b,) in db.execute("SELECT body FROM outbox")]
    opened = []
    for body in bodies:
        header = envelope_header(body["envelope"])
        for code in candidates(raw):
            if is_legacy(code):
                private = melder_private_key(code, header["melding_id"])
            else:
                private = melder_keys(code).private_key
            try:
                opened.append(open_sealed(body["sealed"], header, private).decode())
            except SealError:
                continue
    return opened


def loket_key() -> dict[str, str]:
    _, public = generate_keypair()
    return {"kid": key_id(public), "public_key": b64e(public)}


def melding() -> dict[str, Any]:
    slots = {"categorie": "pesten", "beschrijving": f"Ze negeren me. {CANARY}"}
    slots |= {"eenheid": "rotterdam", "wens": "steun", "anoniem": "ja"}
    return build_melding(slots, str(uuid.uuid4()), "vertrouwenspersoon", "2026-12-01")


def test_the_probe_opens_a_row_as_the_old_action_server_wrote_it(tmp_path: Path) -> None:
    """The old body: the meldcode beside the content sealed to the key derived from it."""
    m = melding()
    code = new_meldcode()[:19]  # the old form
    header = envelope_header(m)
    _, public = generate_keypair()
    loket = Recipient(kid=key_id(public), public_key=public)
    melder = melder_recipient(code, m["melding_id"])
    old_body = {
        "envelope": header,
        "sealed": seal(json.dumps(m).encode(), header, [melder, loket]),
        "meldcode": code,
        "melder_public_key": b64e(melder.public_key),
    }
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.put(m["melding_id"], old_body)
    assert any(CANARY in text for text in probe(tmp_path / "outbox.sqlite3"))


def test_the_outbox_holds_no_meldcode_and_nothing_opens_the_melding(tmp_path: Path) -> None:
    m, key = melding(), loket_key()
    meldcode = new_meldcode()
    body = sealed_submission(m, key, melder_keys(meldcode))
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.put(m["melding_id"], body)
    outbox.failed(m["melding_id"], "HTTP 422")  # refused rows too
    raw = (tmp_path / "outbox.sqlite3").read_bytes()
    plain = meldcode.replace("-", "")
    for form in (meldcode, plain, plain[4:], meldcode.lower(), plain.lower()):
        assert form.encode() not in raw
    assert set(body) == {
        "envelope", "sealed", "melder_sleutel", "melder_handtekening", "melder_public_key",
        "toestemming_doorsturen",
    }  # fmt: skip
    assert probe(tmp_path / "outbox.sqlite3") == []


@pytest.mark.e2e
def test_backend_down_the_waiting_melding_cannot_be_opened_from_the_outbox(
    security_system: SecuritySystem,
) -> None:
    melder = Melder(security_system.config.rasa_url)
    melder.tell(f"Mijn leidinggevende schreeuwt tegen me in de briefing. {CANARY}")
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")
    security_system.system.stop_one("backend")
    try:
        melder.click("/verstuur")
        assert "klaar om te versturen" in melder.text and "7 dagen" in melder.text
        meldcode = MELDCODE.findall(melder.text)[-1]
        outbox = Path(security_system.config.outbox)
        raw = outbox.read_bytes()
        assert CANARY.encode() not in raw
        for form in (meldcode, meldcode.replace("-", ""), meldcode.replace("-", "")[4:]):
            assert form.encode() not in raw, "meldcode in the outbox"
        assert probe(outbox) == []
    finally:
        security_system.system.start_one("backend")
        security_system.system.wait_ready("backend")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Outbox(outbox).pending():
        time.sleep(1)
    assert Outbox(outbox).pending() == 0  # delivered after all
