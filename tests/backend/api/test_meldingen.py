"""Sealed meldingen through the API: keys, submission, idempotency, validation."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from actions.melding import build_melding, sealed_submission
from backend.app import create_app
from backend.cli import app as cli_app
from backend.core.config import Settings
from backend.domain.termijnen import add_months
from backend.keys.loket_keys import generate_key
from backend.storage.models import Melding
from envelope.meldcode import new_meldcode
from envelope.melder_key import melder_keys
from tests.backend.conftest import ACTIESERVERS, build_submission, post_melding, signed_post

PASSPHRASE = "correct horse battery staple"


# This module's own database and app (default settings), not the shared ones of
# tests/backend/conftest.py.
@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url, actieservers=ACTIESERVERS))
    with TestClient(app) as test_client:
        yield test_client


CANARY = "CANARY-7f3a-de-koffieautomaat"


def slots(**extra: Any) -> dict[str, Any]:
    return {
        "categorie": "pesten",
        "beschrijving": f"Mijn ploeg lacht me elke briefing uit. {CANARY}",
        "eenheid": "rotterdam",
        "rol_melder": "betrokkene",
        "sinds_wanneer": "maanden",
        "rol_ander": "collega",
        "eerder_gemeld": "nee",
        "wens": "steun",
        "anoniem": "ja",
        **extra,
    }


def add_key(
    client: TestClient, loket: str = "vertrouwenspersoon", scope: str = "rotterdam"
) -> None:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        generate_key(session, loket, scope, PASSPHRASE)


def submission_with_code(
    client: TestClient, loket: str = "vertrouwenspersoon", **extra: Any
) -> tuple[dict[str, Any], str]:
    """The action server's body (actions/melding.py) and the meldcode it showed."""
    s = slots(**extra)
    key = client.get(f"/api/v1/lokets/{loket}/{s['eenheid']}/publickey").json()
    melding = build_melding(s, str(uuid.uuid4()), loket, "2026-11-26T10:00:00+00:00")
    meldcode = new_meldcode()
    return sealed_submission(melding, key, melder_keys(meldcode)), meldcode


def submission(
    client: TestClient, loket: str = "vertrouwenspersoon", **extra: Any
) -> dict[str, Any]:
    return submission_with_code(client, loket, **extra)[0]


def post(client: TestClient, body: dict[str, Any], key: str | None = None) -> Any:
    return post_melding(client, body, key)


def count(client: TestClient) -> int:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(Melding)) or 0)


def test_public_key_is_missing_until_the_loket_has_one(client: TestClient) -> None:
    response = client.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey")
    assert response.status_code == 404
    assert response.json()["error"]["nl"]
    add_key(client)
    body = client.get("/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
    assert body["eenheid"] == "rotterdam" and len(body["kid"]) == 16


def test_national_loket_has_one_key_for_every_eenheid(client: TestClient) -> None:
    add_key(client, "meldpunt_misstanden", "landelijk")
    a = client.get("/api/v1/lokets/meldpunt_misstanden/limburg/publickey").json()
    b = client.get("/api/v1/lokets/meldpunt_misstanden/amsterdam/publickey").json()
    assert a["kid"] == b["kid"] and a["eenheid"] == "landelijk"


def test_loket_without_digital_channel_has_no_key(client: TestClient) -> None:
    response = client.get("/api/v1/lokets/leidinggevende/rotterdam/publickey")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "loket_not_digital"


@pytest.mark.parametrize(
    "path", ["/api/v1/lokets/klaagmuur/rotterdam/publickey", "/api/v1/lokets/vik/gotham/publickey"]
)
def test_unknown_codes_get_422_in_dutch_and_english(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["nl"].startswith("Onbekende") and error["en"].startswith("Unknown")


def test_submit_to_the_meldpunt_misstanden_starts_the_legal_clock(client: TestClient) -> None:
    add_key(client, "meldpunt_misstanden", "landelijk")
    body = submission(client, loket="meldpunt_misstanden", categorie="misstand")
    assert "meldcode" not in body
    response = post(client, body)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["id"] == body["envelope"]["melding_id"]
    assert data["meldcode"] is None
    assert data["termijn_soort"] == "wet"
    received = datetime.fromisoformat(data["ontvangen_op"])
    confirm = datetime.fromisoformat(data["bevestigen_voor"])
    assert confirm - received == timedelta(days=7)
    # Without a confirmation yet: 3 months after the 7-day period ended.
    feedback = datetime.fromisoformat(data["terugkoppeling_voor"])
    assert feedback == add_months(confirm, 3)
    assert 89 <= (feedback - confirm).days <= 92


def test_submit_to_a_vertrouwenspersoon_promises_no_date(client: TestClient) -> None:
    add_key(client)
    response = post(client, submission(client))
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["meldcode"] is None
    assert (data["termijn_soort"], data["bevestigen_voor"], data["terugkoppeling_voor"]) == (
        "geen",
        None,
        None,
    )


def test_submit_with_a_configured_afspraak(afspraak_client: TestClient) -> None:
    add_key(afspraak_client, "vik", "rotterdam")
    data = post(afspraak_client, submission(afspraak_client, loket="vik")).json()
    received = datetime.fromisoformat(data["ontvangen_op"])
    assert data["termijn_soort"] == "afspraak"
    assert datetime.fromisoformat(data["bevestigen_voor"]) - received == timedelta(days=5)
    assert datetime.fromisoformat(data["terugkoppeling_voor"]) - received == timedelta(days=42)


def test_same_idempotency_key_twice_stores_the_melding_once(client: TestClient) -> None:
    add_key(client)
    body = submission(client)
    first, second = post(client, body), post(client, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert count(client) == 1


def test_reusing_a_key_for_another_melding_is_a_conflict(client: TestClient) -> None:
    add_key(client)
    first = submission(client)
    assert post(client, first, key="shared-key-123").status_code == 201
    response = post(client, submission(client), key="shared-key-123")
    assert response.status_code == 409
    assert count(client) == 1


def test_a_submission_without_the_melders_key_is_refused(client: TestClient) -> None:
    """The backend no longer makes a meldcode (it would know the melder's key)."""
    add_key(client)
    body = submission(client)
    del body["melder_sleutel"], body["melder_handtekening"]
    response = post(client, body)
    assert response.status_code == 422
    assert count(client) == 0


def test_melding_sealed_to_another_key_is_refused(client: TestClient) -> None:
    add_key(client)
    body = submission(client)
    add_key(client, "vik", "rotterdam")
    body["envelope"]["loket"] = "vik"
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "wrong_recipient"
    assert count(client) == 0


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b["envelope"].update(categorie="iets"),
        lambda b: b["envelope"].update(eenheid="gotham"),
        lambda b: b["envelope"].update(melding_id="geen-uuid"),
        lambda b: b["sealed"].update(v="mw0"),
        lambda b: b["sealed"].update(recipients=[]),
        lambda b: b.update(meldcode="1234"),
        lambda b: b.update(extra="veld"),
        lambda b: b.pop("sealed"),
    ],
)
def test_malformed_meldingen_get_422_without_echoing_input(client: TestClient, mutate: Any) -> None:
    add_key(client)
    body = submission(client)
    mutate(body)
    response = post(client, body, "key-12345678")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["nl"] and error["en"]
    assert body.get("sealed", {}).get("ciphertext", "@@") not in response.text
    assert count(client) == 0


def test_missing_idempotency_key_is_refused(client: TestClient) -> None:
    add_key(client)
    response = signed_post(client, "/api/v1/meldingen", submission(client))
    assert response.status_code == 422


def test_non_json_body_is_a_clear_4xx(client: TestClient) -> None:
    response = client.post(
        "/api/v1/meldingen",
        content=b"\xff\xfenot json",
        headers={"Idempotency-Key": "key-12345678", "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "error" in response.json()


def test_database_holds_neither_content_nor_meldcode_in_clear(
    client: TestClient, database_url: str
) -> None:
    add_key(client)
    body, meldcode = submission_with_code(client)
    assert post(client, body).status_code == 201
    path = Path(database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert CANARY.encode() not in raw
    assert meldcode.encode() not in raw
    assert meldcode.replace("-", "").encode() not in raw
    assert meldcode.replace("-", "")[4:].encode() not in raw  # not even the secret part


def test_cli_decrypts_exactly_what_the_melder_typed(
    client: TestClient, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_key(client)
    assert post(client, submission(client)).status_code == 201
    passphrase_file = tmp_path / "pass.txt"
    passphrase_file.write_text(PASSPHRASE)
    monkeypatch.setenv("DATABASE_URL", database_url)
    runner = CliRunner()
    result = runner.invoke(
        cli_app,
        [
            "meldingen",
            "open",
            "vertrouwenspersoon",
            "rotterdam",
            "--passphrase-file",
            str(passphrase_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Mijn ploeg lacht me elke briefing uit. {CANARY}" in result.output
    passphrase_file.write_text("a wrong passphrase!!")
    wrong = runner.invoke(
        cli_app,
        [
            "meldingen",
            "open",
            "vertrouwenspersoon",
            "rotterdam",
            "--passphrase-file",
            str(passphrase_file),
        ],
    )
    assert wrong.exit_code != 0 and CANARY not in wrong.output


def test_chat_page_has_strict_security_headers(client: TestClient) -> None:
    response = client.get("/chat")
    assert response.status_code == 200
    assert "Meldwijzer" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_older_field_name_from_a_waiting_outbox_is_still_accepted(client: TestClient) -> None:
    """Meldingen sealed before the rename wait in outboxes with "receipt"; none is lost."""
    add_key(client)
    body = build_submission(client, legacy=True).body  # an older client's 16-character code
    body["receipt"] = body.pop("meldcode")
    response = post(client, body)
    assert response.status_code == 201, response.text
    assert response.json()["meldcode"] == body["receipt"]
