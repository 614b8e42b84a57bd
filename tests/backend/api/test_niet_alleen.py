""" "Niet alleen" matching through the API: two melders who name the same person are
matched, one melder twice is not, and only the vertrouwenspersoon sees a match."""

from __future__ import annotations

from fastapi.testclient import TestClient

from envelope import oprf
from envelope.niet_alleen import matching_input
from envelope.sealing import b64e
from tests.backend.conftest import add_key, add_user, login, submit
from tests.backend.niet_alleen_steps import name_person, oprf_output, post, status

JAN = {"voornaam": "Jan", "achternaam": "de Vries", "eenheid": "rotterdam"}
JAN_ANDERS = {"voornaam": " jan", "achternaam": "VRIES, DE", "eenheid": "rotterdam"}
PIET = {"voornaam": "Piet", "achternaam": "Bakker", "eenheid": "rotterdam"}


def _setup(client: TestClient) -> None:
    add_key(client, "vertrouwenspersoon", "rotterdam")
    add_key(client, "vik", "rotterdam")
    add_key(client, "vertrouwenspersoon", "amsterdam")


def _melder(client: TestClient, loket: str = "vertrouwenspersoon"):  # type: ignore[no-untyped-def]
    sub = submit(client, loket=loket)
    assert sub.keys is not None
    return sub


def _overeenkomsten(client: TestClient, user: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/api/v1/loket/niet-alleen", headers=login(client, user))
    assert response.status_code == 200, response.text
    return list(response.json())


def test_two_melders_naming_the_same_person_are_matched(client: TestClient) -> None:
    _setup(client)
    add_user(client, "vp", "vertrouwenspersoon", "rotterdam")
    a, b = _melder(client), _melder(client, loket="vik")
    assert name_person(client, a.keys, a.melding_id, JAN).status_code == 201
    # Before a second melder: nothing for the melder, nothing for the vertrouwenspersoon.
    assert [v["overeenkomst"] for v in status(client, a.keys)] == [False]
    assert _overeenkomsten(client, "vp") == []

    assert name_person(client, b.keys, b.melding_id, JAN_ANDERS).status_code == 201
    assert [v["overeenkomst"] for v in status(client, a.keys)] == [True]
    assert [v["overeenkomst"] for v in status(client, b.keys)] == [True]

    [match] = _overeenkomsten(client, "vp")
    assert match["aantal_melders"] == 2
    assert {d["melding_id"] for d in match["delen"]} == {a.melding_id, b.melding_id}
    personen = [d["persoon"] for d in match["delen"]]
    assert JAN in personen and JAN_ANDERS in personen
    assert {d["instemming"] for d in match["delen"]} == {None}

    # Melder a chooses to be connected; the vertrouwenspersoon sees that choice.
    [entry] = status(client, a.keys)
    response = post(
        client,
        a.keys,
        "niet-alleen-instemming",
        {"vermelding_id": entry["vermelding_id"], "instemming": True},
    )
    assert response.status_code == 200, response.text
    [match] = _overeenkomsten(client, "vp")
    keuze = {d["melding_id"]: d["instemming"] for d in match["delen"]}
    assert keuze == {a.melding_id: True, b.melding_id: None}


def test_the_same_melder_twice_is_no_match(client: TestClient) -> None:
    _setup(client)
    add_user(client, "vp", "vertrouwenspersoon", "rotterdam")
    a = _melder(client)
    assert name_person(client, a.keys, a.melding_id, JAN).status_code == 201
    assert name_person(client, a.keys, a.melding_id, JAN_ANDERS).status_code == 201
    assert [v["overeenkomst"] for v in status(client, a.keys)] == [False, False]
    assert _overeenkomsten(client, "vp") == []


def test_a_melder_who_names_the_person_twice_still_counts_once(client: TestClient) -> None:
    _setup(client)
    add_user(client, "vp", "vertrouwenspersoon", "rotterdam")
    a, b = _melder(client), _melder(client)
    name_person(client, a.keys, a.melding_id, JAN)
    name_person(client, b.keys, b.melding_id, JAN)
    name_person(client, a.keys, a.melding_id, JAN_ANDERS)
    [match] = _overeenkomsten(client, "vp")
    assert match["aantal_melders"] == 2 and len(match["delen"]) == 3


def test_different_persons_are_no_match(client: TestClient) -> None:
    _setup(client)
    add_user(client, "vp", "vertrouwenspersoon", "rotterdam")
    a, b = _melder(client), _melder(client)
    name_person(client, a.keys, a.melding_id, JAN)
    name_person(client, b.keys, b.melding_id, PIET)
    assert [v["overeenkomst"] for v in status(client, b.keys)] == [False]
    assert _overeenkomsten(client, "vp") == []


def test_a_copied_index_without_the_name_matches_nothing(client: TestClient) -> None:
    """Someone who saw an index (say in a dump) but does not know the name cannot join."""
    _setup(client)
    add_user(client, "vp", "vertrouwenspersoon", "rotterdam")
    a, b = _melder(client), _melder(client)
    name_person(client, a.keys, a.melding_id, JAN)
    from backend.storage.models import NietAlleenVermelding
    from tests.backend.conftest import database

    with database(client).session() as session:
        stolen = session.query(NietAlleenVermelding).one().index
    forged = {
        "vermelding_id": "6f0c7d1e-1111-4a2b-9c3d-2e4f5a6b7c8d",
        "index": stolen,
        "x": "1234",
        "y": "abcdef",
        "record": {"nonce": b64e(bytes(12)), "ct": b64e(bytes(64))},
    }
    assert post(client, b.keys, "niet-alleen-vermelding", forged).status_code == 201
    assert [v["overeenkomst"] for v in status(client, a.keys)] == [False]
    assert _overeenkomsten(client, "vp") == []


def test_only_the_vertrouwenspersoon_of_the_eenheid_sees_a_match(client: TestClient) -> None:
    _setup(client)
    add_user(client, "vp", "vertrouwenspersoon", "rotterdam")
    add_user(client, "vik", "vik", "rotterdam")
    add_user(client, "vp-ams", "vertrouwenspersoon", "amsterdam")
    a, b = _melder(client), _melder(client, loket="vik")
    name_person(client, a.keys, a.melding_id, JAN)
    name_person(client, b.keys, b.melding_id, JAN)
    assert len(_overeenkomsten(client, "vp")) == 1
    # Another loket - even the one that handles melding b - sees nothing.
    response = client.get("/api/v1/loket/niet-alleen", headers=login(client, "vik"))
    assert response.status_code == 403
    assert response.json()["error"]["nl"]
    detail = client.get(f"/api/v1/loket/meldingen/{b.melding_id}", headers=login(client, "vik"))
    assert detail.status_code == 200
    assert "Vries" not in detail.text and "niet_alleen" not in detail.text
    # The vertrouwenspersoon of another eenheid sees nothing either.
    assert _overeenkomsten(client, "vp-ams") == []


def test_the_oprf_is_budgeted_per_melding_and_needs_a_proof(client: TestClient) -> None:
    _setup(client)
    a = _melder(client)
    for _ in range(5):
        oprf_output(client, a.keys, matching_input(JAN))
    _, blinded = oprf.blind(matching_input(PIET))
    response = post(client, a.keys, "niet-alleen-evaluatie", {"geblindeerd": b64e(blinded)})
    assert response.status_code == 429
    assert response.json()["error"]["nl"]
    # Without a melder's proof: refused before anything is evaluated.
    response = client.post(
        "/api/v1/melder/niet-alleen/evaluatie", json={"geblindeerd": b64e(blinded)}
    )
    assert response.status_code == 422


def test_consent_only_for_a_matched_entry(client: TestClient) -> None:
    _setup(client)
    a = _melder(client)
    name_person(client, a.keys, a.melding_id, JAN)
    [entry] = status(client, a.keys)
    response = post(
        client,
        a.keys,
        "niet-alleen-instemming",
        {"vermelding_id": entry["vermelding_id"], "instemming": True},
    )
    assert response.status_code == 404
    assert status(client, a.keys)[0]["instemming"] is None


def test_retention_takes_the_entries_with_the_melding(client: TestClient) -> None:
    from datetime import timedelta

    from backend.core.config import Settings
    from backend.domain.retention import run_retention
    from backend.storage.clock import utcnow
    from backend.storage.models import Melding, NietAlleenEvaluaties, NietAlleenVermelding
    from tests.backend.conftest import database

    _setup(client)
    a, b = _melder(client), _melder(client)
    name_person(client, a.keys, a.melding_id, JAN)
    name_person(client, b.keys, b.melding_id, JAN)
    with database(client).session() as session:
        m = session.get(Melding, a.melding_id)
        assert m is not None
        m.status = "afgerond"
        m.afgerond_op = utcnow() - timedelta(days=400)
    with database(client).session() as session:
        assert run_retention(session, Settings(), utcnow()).count == 1
    with database(client).session() as session:
        left = session.query(NietAlleenVermelding).all()
        assert [r.melding_id for r in left] == [b.melding_id]
        assert session.get(NietAlleenEvaluaties, a.melding_id) is None
