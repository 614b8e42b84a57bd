"""Nothing is lost when the backend is away at the moment the melder confirms."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from .conftest import Melder, RunningSystem
from .test_end_to_end import canary

pytestmark = pytest.mark.e2e


def opened_meldingen(running: RunningSystem, secret: str) -> list[dict[str, object]]:
    result = running.admin(
        "meldingen", "open", "vertrouwenspersoon", "rotterdam",
        "--passphrase-file", str(running.passphrase_file),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if secret in line]


def test_backend_down_at_confirmation_delivers_exactly_once_later(
    running: RunningSystem, melder: Melder
) -> None:
    secret = canary()
    melder.tell(f"Ze lachen me uit in de briefing en negeren me in de app-groep. {secret}")
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")  # the key is fetched here

    running.system.stop_one("backend")
    try:
        melder.click("/verstuur")
        assert "klaar om te versturen" in melder.text
        assert "vanzelf" in melder.text and "meldcode" in melder.text
        outbox = running.config.outbox.read_bytes()
        assert secret.encode() not in outbox  # only ciphertext waits on disk
        time.sleep(2)  # the worker tries (and fails) while the backend is away
    finally:
        running.system.start_one("backend")
        running.system.wait_ready("backend")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not opened_meldingen(running, secret):
        time.sleep(1)
    time.sleep(3)  # give a duplicate delivery the chance to show up
    meldingen = opened_meldingen(running, secret)
    assert len(meldingen) == 1
    assert secret in str(meldingen[0]["beschrijving"])


def test_action_server_restart_keeps_the_outbox(running: RunningSystem, melder: Melder) -> None:
    secret = canary()
    melder.tell(f"Mijn OE scheldt me uit als ik een fout maak, al weken lang. {secret}")
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")
    running.system.stop_one("backend")
    try:
        melder.click("/verstuur")
        assert "klaar om te versturen" in melder.text
        running.system.stop_one("actions")  # the outbox holds the melding now
    finally:
        running.system.start_one("backend")
        running.system.wait_ready("backend")
        running.system.start_one("actions")
        running.system.wait_ready("actions")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not opened_meldingen(running, secret):
        time.sleep(1)
    assert len(opened_meldingen(running, secret)) == 1


def test_rasa_restart_mid_conversation_tells_the_melder_how_to_go_on(
    running: RunningSystem, melder: Melder
) -> None:
    melder.tell("Een collega raakt me steeds aan en maakt opmerkingen over mijn lichaam.")
    melder.click('"eenheid": "rotterdam"')
    running.system.stop_one("rasa")
    running.system.start_one("rasa")
    running.system.wait_ready("rasa")
    melder.click(next(p for p in melder.buttons if p.startswith("/inform")))  # still on screen
    assert "onderbroken" in melder.text and "niets verstuurd" in melder.text
    assert "/wil_vertellen" in melder.buttons


@pytest.mark.parametrize(
    "message",
    [
        "x" * 1_000_000,
        "\x00\x01\x02 controle \x1b[31m",
        "<script>alert('xss')</script> mijn OE pest me",
        "'; DROP TABLE meldingen; --",
        "🙂🙃💥" * 200,
    ],
)
def test_strange_input_gets_a_polite_answer(running: RunningSystem, message: str) -> None:
    melder = Melder(running.config.rasa_url)
    reply = melder.say(message)
    assert reply and all(m.get("text") or m.get("buttons") for m in reply)
    assert "<script>" not in melder.text
    assert Melder(running.config.rasa_url).say("/greet")  # the server is still up


def test_backend_dying_during_the_request_loses_nothing(
    running: RunningSystem, melder: Melder
) -> None:
    """The backend accepts the connection and dies before answering (like kill -9)."""
    secret = canary()
    melder.tell(f"Mijn OE scheldt me uit als ik een fout maak, al maanden. {secret}")
    melder.answer_questions()
    melder.choose_loket("vertrouwenspersoon")
    running.system.stop_one("backend")
    port = running.config.ports.backend
    stop = threading.Event()

    def dying_backend() -> None:
        with socket.create_server(("127.0.0.1", port)) as server:
            server.settimeout(0.2)
            while not stop.is_set():
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    continue
                conn.recv(65536)  # read the request, then die without an answer
                conn.close()

    thread = threading.Thread(target=dying_backend, daemon=True)
    thread.start()
    try:
        melder.click("/verstuur")
        assert "klaar om te versturen" in melder.text
    finally:
        stop.set()
        thread.join(5)
        running.system.start_one("backend")
        running.system.wait_ready("backend")
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not opened_meldingen(running, secret):
        time.sleep(1)
    time.sleep(3)
    assert len(opened_meldingen(running, secret)) == 1
