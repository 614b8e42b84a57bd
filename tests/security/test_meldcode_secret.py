"""The meldcode's secret never reaches the backend, the tracker or Redis (issue #13, 2-4).

* In the chat the action server is the melder's agent: every request it makes to the
  backend is recorded (tests/security/conftest.py) and none holds the meldcode, its
  secret part, the scrypt seed or a private key; the melder's reply goes sealed.
* The tracker (Rasa's API and, when Redis runs here, every Redis value) holds no
  meldcode in any spelling: not the one the bot showed, not the one the melder typed.
* The backend refuses a submission whose melder key does not fit, and a follow-up
  read never writes.
(The follow-up page's side: tests/browser/test_pages_in_browser.py, from the browser's
network log.)
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actions.melding import build_melding, sealed_submission
from backend.app import create_app
from backend.keys.loket_keys import generate_key
from backend.storage.models import Melding
from envelope.meldcode import new_meldcode
from envelope.melder_auth import sign_submission
from envelope.melder_key import melder_keys, melder_recipient
from envelope.sealing import Recipient, b64d, b64e, envelope_header, seal
from tests.backend.conftest import post_melding, settings_for
from tests.canaries import canary as make_canary
from tests.integration.conftest import Melder

from .conftest import MELDCODE, SecuritySystem

CANARY = make_canary("CANARY", 10)


def key_material(meldcode: str) -> list[str]:
    """Every spelling of a value that derives the melder's key."""
    plain = meldcode.replace("-", "")
    forms = [meldcode, meldcode.lower(), plain, plain.lower(), " ".join(meldcode.split("-"))]
    if len(plain) == 20:
        keys = melder_keys(meldcode)
        forms += [plain[4:], plain[4:].lower(), "-".join(meldcode.split("-")[1:])]
        for secret in (keys.seed, keys.private_key):
            forms += [secret.hex(), b64e(secret), b64e(secret).rstrip("=")]
    return forms


def leaked(text: str, meldcode: str) -> list[str]:
    return [form for form in key_material(meldcode) if form in text]


# --- the chat: action server as the melder's agent (real system) -------------------------


def send_melding(melder: Melder, story: str) -> str:
    melder.tell(story)
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")
    melder.click("/verstuur")
    assert "Je melding is verstuurd" in melder.text, melder.text
    found = MELDCODE.findall(melder.text)
    assert found and len(found[-1]) == 24, melder.text  # 20 characters in five groups
    return str(found[-1])


@pytest.fixture
def cheap_kdfs() -> None:
    """The real scrypt costs here (this overrides the autouse fixture of
    tests/backend/conftest.py by name): the action server, a separate process, derives
    the melder's keys with them, and this test derives them again to compare."""


@pytest.mark.e2e
def test_chat_sends_nothing_that_derives_the_melder_key_and_stores_no_meldcode(
    security_system: SecuritySystem,
) -> None:
    proxy = security_system.proxy
    first = len(proxy.requests)
    melder = Melder(security_system.config.rasa_url)
    meldcode = send_melding(melder, f"Mijn collega's lachen me al maanden uit. {CANARY}")
    # Following up in the same conversation: the code stays with the agent, sealed.
    melder.say("/heb_meldcode")
    assert "Je melding is binnen" in melder.text, melder.text
    melder.click('"bericht_soort":"bericht"')
    melder.say(f"Het gebeurde weer op maandag. {CANARY}-antwoord")
    assert "naar het loket gestuurd" in melder.text, melder.text
    # And in a new conversation, typing the code in lower case with spaces.
    later = Melder(security_system.config.rasa_url)
    later.say("/greet")
    later.click("/heb_meldcode")
    later.say(meldcode.lower().replace("-", " "))
    assert "Je melding is binnen" in later.text, later.text
    assert f"{CANARY}-antwoord" in later.text  # opened by the agent with the melder's key

    requests = proxy.requests[first:]
    paths = [r.path for r in requests]
    assert "/api/v1/meldingen" in paths and "/api/v1/melder/berichten" in paths
    assert paths.count("/api/v1/melder/uitdaging") >= 3
    for request in requests:
        assert not leaked(request.text(), meldcode), f"{request.path} carries key material"
        assert f"{CANARY}-antwoord".encode() not in request.body  # sealed by the agent
    submission = next(r for r in requests if r.path == "/api/v1/meldingen")
    body = json.loads(submission.body)
    assert "meldcode" not in body and "receipt" not in body
    assert body["melder_sleutel"] == b64e(melder_keys(meldcode).sleutel)

    for sender in (melder.sender, later.sender):
        stored = security_system.tracker_dump(sender)
        assert CANARY in stored  # the dump is real: the conversation is in it
        assert not leaked(stored, meldcode), "meldcode in the tracker store"
        assert "[meldcode]" in stored  # shown and typed codes were masked


@pytest.mark.e2e
def test_a_wrong_current_meldcode_is_explained_kindly(security_system: SecuritySystem) -> None:
    melder = Melder(security_system.config.rasa_url)
    melder.say("/heb_meldcode")
    assert "20 letters en cijfers" in melder.text
    melder.say(new_meldcode())
    assert "geen melding bij deze meldcode" in melder.text


# --- the backend: the melder key is checked at submission; a read never writes ----------


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(settings_for(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    with TestClient(app) as test_client:
        with test_client.app.state.db.session() as session:  # type: ignore[attr-defined]
            generate_key(session, "vertrouwenspersoon", "rotterdam", "een wachtzin van het loket")
        yield test_client


def melding(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    key = client.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
    slots = {"categorie": "pesten", "beschrijving": f"Ze lachen me uit. {CANARY}"}
    slots |= {"eenheid": "rotterdam", "wens": "steun", "anoniem": "ja"}
    return build_melding(slots, str(uuid.uuid4()), "vertrouwenspersoon", "2026-12-01"), key


def loket_recipient(key: dict[str, Any]) -> Recipient:
    return Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))


def post(client: TestClient, body: dict[str, Any]) -> Any:
    """Signed by the test action server, as every submission must be."""
    return post_melding(client, body)


def count(client: TestClient) -> int:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        return len(session.query(Melding).all())


def test_a_submission_whose_melder_key_does_not_fit_is_refused(client: TestClient) -> None:
    m, key = melding(client)
    right = sealed_submission(m, key, melder_keys(new_meldcode()))
    other = melder_keys(new_meldcode())
    cases = {
        # signed with another melder's key
        "signature": {**right, "melder_sleutel": b64e(other.sleutel)},
        # sealed to a key that is not the one of melder_sleutel
        "sealed": {**sealed_submission(m, key, other), **{
            k: right[k] for k in ("melder_sleutel", "melder_handtekening")
        }},
        # an X25519 key beside it that does not belong to melder_sleutel
        "public_key": {**right, "melder_public_key": b64e(other.public_key)},
    }  # fmt: skip
    for name, body in cases.items():
        response = post(client, body)
        assert response.status_code == 422, name
        assert response.json()["error"]["code"] == "melder_sleutel_past_niet", name
        assert response.json()["error"]["nl"], name
    assert count(client) == 0
    assert post(client, right).status_code == 201
    # The same melding again with another melder's key: refused, not silently "stored before".
    again = sealed_submission(m, key, other)
    assert post(client, again).status_code == 409


def test_an_older_client_whose_key_does_not_fit_its_meldcode_is_refused(
    client: TestClient,
) -> None:
    """Before: stored, and the loket's first message was lost to the melder."""
    m, key = melding(client)
    header = envelope_header(m)
    code, wrong_code = new_meldcode()[:19], new_meldcode()[:19]  # 16-character codes
    wrong = melder_recipient(wrong_code, m["melding_id"])
    body = {
        "envelope": header,
        "sealed": seal(json.dumps(m).encode(), header, [loket_recipient(key), wrong]),
        "meldcode": code,
        "melder_public_key": b64e(wrong.public_key),
    }
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "melder_sleutel_past_niet"
    assert count(client) == 0


def test_a_follow_up_read_never_writes(client: TestClient) -> None:
    """Before: a status read 'corrected' the stored melder key (a write inside a read)."""
    m, key = melding(client)
    header = envelope_header(m)
    code = new_meldcode()[:19]  # an older 16-character code: the backend's old path
    melder = melder_recipient(code, m["melding_id"])
    body = {
        "envelope": header,
        "sealed": seal(json.dumps(m).encode(), header, [loket_recipient(key), melder]),
        "meldcode": code,
    }
    assert post(client, body).status_code == 201
    planted = b64e(melder_keys(new_meldcode()).public_key)
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        session.get(Melding, m["melding_id"]).melder_public_key = planted  # type: ignore[union-attr]
    assert client.post("/api/v1/melder/status", json={"meldcode": code}).status_code == 200
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        assert session.get(Melding, m["melding_id"]).melder_public_key == planted  # type: ignore[union-attr]


def test_the_backend_refuses_a_current_meldcode_it_is_sent(client: TestClient) -> None:
    m, key = melding(client)
    meldcode = new_meldcode()
    body = sealed_submission(m, key, melder_keys(meldcode))
    as_before = {**body, "meldcode": meldcode}
    del as_before["melder_sleutel"], as_before["melder_handtekening"]
    response = post(client, as_before)
    assert response.status_code == 422 and not leaked(response.text, meldcode)
    status = client.post("/api/v1/melder/status", json={"meldcode": meldcode})
    assert status.status_code == 422 and not leaked(status.text, meldcode)
    assert count(client) == 0
    signed = {**body, "melder_handtekening": sign_submission(melder_keys(meldcode), "x", {})}
    assert post(client, signed).status_code == 422  # a signature over something else
