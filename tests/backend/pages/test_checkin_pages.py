"""The check-ins on the pages: the portal's inbox shows the retaliation signal without a
key, the melding shows the sealed answer opened; the follow-up page gets its texts."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from fastapi.testclient import TestClient

from backend.storage.clock import utcnow
from backend.storage.models import Melding
from envelope.checkin import seal_checkin
from envelope.melder_auth import signed_request
from tests.backend.conftest import (
    CANARY,
    Submitted,
    add_key,
    add_user,
    database,
    melder_post,
    submit,
)
from tests.backend.pages.test_pages import portal_login


def answer(client: TestClient, sub: Submitted, days: int, antwoord: str, tekst: str = "") -> None:
    with database(client).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.ontvangen_op = utcnow() - timedelta(days=days)
    assert sub.keys is not None
    status = melder_post(client, sub.keys, "status").json()
    body = seal_checkin(status, sub.keys, antwoord, tekst or None)
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    r = client.post(
        "/api/v1/melder/checkin", json=signed_request(sub.keys, "checkin", challenge, body)
    )
    assert r.status_code == 201, r.text


def test_the_portal_shows_the_signal_in_the_inbox_and_the_answer_in_the_melding(
    client: TestClient,
) -> None:
    add_key(client)
    add_user(client, "vp.rotterdam")
    stil, nadelig = submit(client), submit(client)
    answer(client, stil, 40, "nee")
    answer(client, nadelig, 100, "ja", f"Mijn rooster is ineens veranderd. {CANARY}")
    portal_login(client, "vp.rotterdam")

    inbox = client.get("/portaal/inbox").text
    assert inbox.count("Melder meldt nadelige gevolgen") == 1
    assert "Melder meldt nadelige gevolgen (3 maanden)" in inbox
    assert "1 met nadelige gevolgen" in inbox
    assert CANARY not in inbox  # the inbox shows the signal, never the text

    detail = client.get(f"/portaal/melding/{nadelig.melding_id}").text
    assert "Ja, merkt nadelige gevolgen" in detail
    assert f"Mijn rooster is ineens veranderd. {CANARY}" in detail
    other = client.get(f"/portaal/melding/{stil.melding_id}").text
    assert "Melder meldt nadelige gevolgen" not in other
    assert re.search(r'class="antwoord">Nee<', other)


def test_the_follow_up_page_carries_the_check_in_texts_with_their_sources(
    client: TestClient,
) -> None:
    html = client.get("/volgen").text
    data = re.search(r"data-teksten='([^']*)'", html)
    assert data is not None
    checkin = json.loads(data.group(1).replace("&#34;", '"'))["checkin"]
    assert checkin["vraag"]["tekst"] == "Merk je sinds je melding nadelige gevolgen in je werk?"
    assert "Wet bescherming klokkenluiders" in checkin["na_ja"]["bron"]
    assert "{datum}" in checkin["volgende"]["tekst"]
