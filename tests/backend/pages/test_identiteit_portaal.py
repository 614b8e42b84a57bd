"""The melder's identity in the portal: its own block, only for the loket that can open it."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient

from actions.identiteit import identiteit
from actions.melding import build_melding, sealed_submission
from envelope.meldcode import new_meldcode
from envelope.melder_key import melder_keys
from tests.backend.conftest import add_key, add_user, login, post_melding
from tests.backend.pages.test_pages import csrf_of, portal_login

NAAM = "Kanarie Voorbeeldpersoon"
TELEFOON = "06 12345678"


def _send(client: TestClient, known: bool, loket: str = "vertrouwenspersoon") -> str:
    """A melding sealed exactly as the action server seals it (actions/melding.py)."""
    key = client.get(f"/api/v1/lokets/{loket}/rotterdam/publickey").json()
    slots: dict[str, Any] = {
        "categorie": "pesten",
        "beschrijving": "Ze lachen me uit bij elke briefing.",
        "eenheid": "rotterdam",
        "anoniem": "nee" if known else "ja",
        "melder_naam": NAAM if known else None,
        "melder_contact": TELEFOON if known else None,
        "toestemming_doorsturen": "ja",
    }
    melding_id = str(uuid.uuid4())
    melding = build_melding(slots, melding_id, loket, "2026-11-26T10:00:00+00:00")
    body = sealed_submission(
        melding, key, melder_keys(new_meldcode()), identiteit=identiteit(slots)
    )
    r = post_melding(client, body, melding_id)
    assert r.status_code == 201, r.text
    return melding_id


def _block(html: str) -> str:
    """The identity block of the melding page."""
    found = re.search(r'<section [^>]*class="identiteit".*?</section>', html, re.S)
    assert found, html
    return found.group(0)


def test_the_loket_sees_the_identity_in_its_own_block(client: TestClient) -> None:
    add_key(client)
    add_user(client, "vp.rotterdam")
    known = _send(client, known=True)
    anonymous = _send(client, known=False)

    detail = client.get(f"/api/v1/loket/meldingen/{known}", headers=login(client, "vp.rotterdam"))
    assert detail.json()["identiteit"]["naam"] == NAAM
    assert NAAM not in str(detail.json()["inhoud"])

    portal_login(client, "vp.rotterdam")
    html = client.get(f"/portaal/melding/{known}").text
    block = _block(html)
    assert "Wie is de melder" in block and "Alleen jouw loket" in block
    assert (
        "<dt>Naam</dt><dd>Kanarie Voorbeeldpersoon</dd><dt>Telefoon</dt><dd>06 12345678</dd>"
        in block
    )
    assert html.count(NAAM) == 1  # in the block only, not among the content
    assert "Anoniem." in _block(client.get(f"/portaal/melding/{anonymous}").text)


def test_another_loket_cannot_open_it(client: TestClient) -> None:
    add_key(client)
    add_key(client, "vik", "rotterdam")
    add_user(client, "vik.rotterdam", loket="vik")
    known = _send(client, known=True)
    portal_login(client, "vik.rotterdam")
    page = client.get(f"/portaal/melding/{known}")
    assert page.status_code == 404 and NAAM not in page.text


def test_forwarding_sends_the_identity_only_when_ticked(client: TestClient) -> None:
    add_key(client)
    add_key(client, "vik", "rotterdam")
    add_user(client, "vp.co", rol="coordinator")
    add_user(client, "vik.rotterdam", loket="vik")
    met, zonder = _send(client, known=True), _send(client, known=True)

    portal_login(client, "vp.co")
    for melding_id, tick in ((met, {"identiteit": "ja"}), (zonder, {})):
        page = client.get(f"/portaal/melding/{melding_id}").text
        assert "Ook de naam en contactgegevens van de melder meesturen" in page
        r = client.post(
            f"/portaal/melding/{melding_id}/doorsturen",
            data={"loket": "vik", "csrf": csrf_of(page), **tick},
        )
        assert r.status_code == 200 and "doorgestuurd" in r.text

    portal_login(client, "vik.rotterdam")
    assert f"<dd>{NAAM}</dd>" in _block(client.get(f"/portaal/melding/{met}").text)
    block = _block(client.get(f"/portaal/melding/{zonder}").text)
    assert "Niet meegestuurd" in block and NAAM not in block
