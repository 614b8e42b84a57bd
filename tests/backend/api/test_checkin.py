"""Check-ins after a melding through the melder API and the loket API (docs/checkin.md).

The test plays the melder's side (envelope/checkin.py), as the action server does. Time
moves by dating the melding back (``ontvangen_op``): the backend decides from that date
alone which check-in is open.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from backend.core.config import Settings
from backend.domain.retention import run_retention
from backend.storage.clock import utcnow
from backend.storage.models import AuditRegel, Checkin, Melding
from envelope.checkin import seal_checkin
from envelope.melder_auth import signed_request
from envelope.melder_key import MelderKeys
from tests.backend.conftest import (
    CANARY,
    Submitted,
    add_key,
    add_user,
    database,
    login,
    melder_post,
    melder_withdraw,
    submit,
)

PATH = "/api/v1/melder/checkin"


@pytest.fixture
def ready(client: TestClient) -> TestClient:
    add_key(client)
    add_user(client, "vp1")
    return client


def days_ago(client: TestClient, sub: Submitted, days: int) -> None:
    with database(client).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.ontvangen_op = utcnow() - timedelta(days=days)


def status(client: TestClient, sub: Submitted) -> dict[str, Any]:
    assert sub.keys is not None
    response = melder_post(client, sub.keys, "status")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def answer(
    client: TestClient, sub: Submitted, antwoord: str, tekst: str | None = None, **change: Any
) -> Any:
    keys: MelderKeys | None = sub.keys
    assert keys is not None
    body = {**seal_checkin(status(client, sub), keys, antwoord, tekst), **change}
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    return client.post(PATH, json=signed_request(keys, "checkin", challenge, body))


def test_a_new_melding_has_no_open_check_in_but_knows_its_three_moments(
    ready: TestClient,
) -> None:
    sub = submit(ready)
    data = status(ready, sub)
    assert data["checkin"] is None
    assert len(data["checkin_momenten"]) == 3
    assert data["checkin_volgende"] == data["checkin_momenten"][0]


@pytest.mark.parametrize(("dagen", "moment"), [(40, 1), (100, 3), (200, 6), (235, 6)])
def test_the_open_check_in_follows_the_date_of_the_melding(
    ready: TestClient, dagen: int, moment: int
) -> None:
    sub = submit(ready)
    days_ago(ready, sub, dagen)
    data = status(ready, sub)
    assert data["checkin"]["moment"] == moment and data["checkin"]["beantwoord"] is False


def test_after_the_last_check_in_nothing_is_asked(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 260)
    data = status(ready, sub)
    assert data["checkin"] is None and data["checkin_volgende"] is None
    assert sub.keys is not None
    with pytest.raises(ValueError, match="no check-in"):  # the melder's side asks nothing
        seal_checkin(data, sub.keys, "nee")


def test_yes_reaches_the_loket_as_a_signal_and_as_a_sealed_answer(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 100)
    r = answer(ready, sub, "ja", f"Ik word niet meer ingeroosterd. {CANARY}")
    assert r.status_code == 201, r.text
    assert r.json()["moment"] == 3 and r.json()["volgende"] is not None

    data = status(ready, sub)
    assert data["checkin"] == {**data["checkin"], "moment": 3, "beantwoord": True}

    auth = login(ready, "vp1")
    inbox = ready.get("/api/v1/loket/meldingen", headers=auth).json()
    assert inbox["meldingen"][0]["checkin_signalen"] == [3]
    detail = ready.get(f"/api/v1/loket/meldingen/{sub.melding_id}", headers=auth).json()
    [checkin] = detail["checkins"]
    assert checkin["moment"] == 3 and checkin["nadelige_gevolgen"] is True
    assert checkin["antwoord"] == "ja"
    assert checkin["tekst"] == f"Ik word niet meer ingeroosterd. {CANARY}"

    # Stored sealed: the text is nowhere in clear, also not in the audit log.
    with database(ready).session() as session:
        row = session.scalars(select(Checkin)).one()
        assert CANARY not in json.dumps(row.sealed)
        audit = " ".join(a.details for a in session.scalars(select(AuditRegel)))
        assert CANARY not in audit and "ingeroosterd" not in audit


def test_no_and_dont_know_give_no_signal(ready: TestClient) -> None:
    nee, weet_niet = submit(ready), submit(ready)
    for sub, antwoord in ((nee, "nee"), (weet_niet, "weet_niet")):
        days_ago(ready, sub, 40)
        assert answer(ready, sub, antwoord).status_code == 201
    auth = login(ready, "vp1")
    inbox = ready.get("/api/v1/loket/meldingen", headers=auth).json()["meldingen"]
    assert [m["checkin_signalen"] for m in inbox] == [[], []]
    detail = ready.get(f"/api/v1/loket/meldingen/{weet_niet.melding_id}", headers=auth).json()
    assert [c["antwoord"] for c in detail["checkins"]] == ["weet_niet"]


def test_the_inbox_reads_the_signals_of_all_meldingen_at_once(ready: TestClient) -> None:
    """A vertrouwenspersoon with a long inbox: the signals cost one query, not one per
    melding (the same number of statements for 1 and for 5 meldingen)."""
    engine = database(ready).engine
    auth = login(ready, "vp1")

    def inbox_statements() -> tuple[int, list[list[int]]]:
        statements: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            inbox = ready.get("/api/v1/loket/meldingen", headers=auth).json()["meldingen"]
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements), [m["checkin_signalen"] for m in inbox]

    first = submit(ready)
    days_ago(ready, first, 40)
    assert answer(ready, first, "ja").status_code == 201
    one, signalen = inbox_statements()
    assert signalen == [[1]]
    for antwoord in ("ja", "nee", "ja", "weet_niet"):
        sub = submit(ready)
        days_ago(ready, sub, 40)
        assert answer(ready, sub, antwoord).status_code == 201
    five, signalen = inbox_statements()
    assert sorted(signalen) == [[], [], [1], [1], [1]]
    assert five == one


def test_each_moment_is_answered_only_once(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 40)
    assert answer(ready, sub, "nee").status_code == 201
    again = answer(ready, sub, "ja")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "checkin_al_beantwoord"
    # The next moment is a new question.
    days_ago(ready, sub, 100)
    assert answer(ready, sub, "ja").status_code == 201
    with database(ready).session() as session:
        assert [(c.moment, c.nadelige_gevolgen) for c in session.scalars(select(Checkin))] == [
            (1, False),
            (3, True),
        ]


def test_a_moment_that_is_not_open_is_refused(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 40)
    r = answer(ready, sub, "ja", moment=3)
    assert r.status_code == 409 and r.json()["error"]["code"] == "checkin_niet_open"


def test_the_melders_signature_is_required(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 40)
    assert sub.keys is not None
    body = seal_checkin(status(ready, sub), sub.keys, "nee")
    # Without a proof: refused before anything is looked up.
    assert ready.post(PATH, json=body).status_code == 422
    # An older meldcode in the body is no proof for a check-in either.
    assert ready.post(PATH, json={**body, "meldcode": "7KQ4-M2XD-9RTA-HB3C"}).status_code == 422
    # Signed, then the signal flipped: the signature no longer fits.
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    signed = signed_request(sub.keys, "checkin", challenge, body)
    r = ready.post(PATH, json={**signed, "nadelige_gevolgen": True})
    assert r.status_code == 404
    # A signature for another action does not count either.
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    r = ready.post(PATH, json=signed_request(sub.keys, "status", challenge, body))
    assert r.status_code == 404
    with database(ready).session() as session:
        assert session.scalars(select(Checkin)).first() is None


def test_an_answer_the_loket_cannot_open_is_refused(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 40)
    assert sub.keys is not None
    body = seal_checkin(status(ready, sub), sub.keys, "ja")
    body["sealed"]["recipients"] = body["sealed"]["recipients"][1:]  # the melder's wrap only
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    r = ready.post(PATH, json=signed_request(sub.keys, "checkin", challenge, body))
    assert r.status_code == 422 and r.json()["error"]["code"] == "verkeerd_versleuteld"


def test_a_withdrawn_melding_asks_nothing_and_takes_nothing(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 40)
    data = status(ready, sub)
    assert melder_withdraw(ready, sub).status_code == 200
    assert status(ready, sub)["checkin"] is None
    assert sub.keys is not None
    body = seal_checkin(data, sub.keys, "ja")
    challenge = ready.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    r = ready.post(PATH, json=signed_request(sub.keys, "checkin", challenge, body))
    assert r.status_code == 409 and r.json()["error"]["code"] == "melding_ingetrokken"


def test_older_meldcodes_get_no_check_in(ready: TestClient) -> None:
    sub = submit(ready, legacy=True)
    days_ago(ready, sub, 40)
    data = ready.post("/api/v1/melder/status", json={"meldcode": sub.meldcode}).json()
    assert data["checkin"] is None


def test_forwarding_takes_the_answers_along(ready: TestClient) -> None:
    add_key(ready, "vik", "rotterdam")
    add_user(ready, "coord", rol="coordinator")
    add_user(ready, "vik1", "vik", "rotterdam")
    sub = submit(ready, toestemming=True)
    days_ago(ready, sub, 40)
    assert answer(ready, sub, "ja", "Ze praten niet meer met me.").status_code == 201
    auth = login(ready, "coord")
    r = ready.post(
        f"/api/v1/loket/meldingen/{sub.melding_id}/doorsturen",
        json={"loket": "vik"},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    detail = ready.get(
        f"/api/v1/loket/meldingen/{sub.melding_id}", headers=login(ready, "vik1")
    ).json()
    assert [(c["antwoord"], c["tekst"]) for c in detail["checkins"]] == [
        ("ja", "Ze praten niet meer met me.")
    ]


def test_retention_removes_the_answers_with_the_melding(ready: TestClient) -> None:
    sub = submit(ready)
    days_ago(ready, sub, 100)
    assert answer(ready, sub, "ja", CANARY).status_code == 201
    with database(ready).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.status, m.afgerond_op = "afgerond", utcnow() - timedelta(days=400)
    with database(ready).session() as session:
        assert run_retention(session, Settings(), utcnow()).count == 1
    with database(ready).session() as session:
        assert session.scalars(select(Checkin)).first() is None
