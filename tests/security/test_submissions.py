"""Attack probes on POST /api/v1/meldingen (security review, finding 1 and 10).

Every probe here was accepted before the fix (201, or a misleading 200).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from backend.cli import app as cli_app
from backend.storage.models import Melding
from envelope.meldcode import new_meldcode
from envelope.melder_auth import sign_submission
from envelope.melder_key import melder_keys
from envelope.request_signing import SigningKey
from envelope.sealing import Recipient, b64e, generate_keypair, key_id, seal
from tests.backend.conftest import SIGNING_KEY, build_submission, post_melding, signed_post

PATH = "/api/v1/meldingen"


def stored(client: TestClient) -> int:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(Melding)) or 0)


def refused(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["nl"] and error["en"]
    if code is not None:
        assert error["code"] == code
    return error


# --- who may submit ----------------------------------------------------------------------


def test_an_unsigned_submission_is_refused(client: TestClient) -> None:
    body = build_submission(client).body
    response = client.post(PATH, json=body, headers={"Idempotency-Key": "aanvaller-1"})
    refused(response, 401, "niet_ondertekend")
    assert stored(client) == 0


def test_a_submission_signed_by_an_unregistered_key_is_refused(client: TestClient) -> None:
    body = build_submission(client).body
    response = signed_post(
        client, PATH, body, {"Idempotency-Key": "aanvaller-2"}, key=SigningKey.generate()
    )
    refused(response, 403, "onbekende_actieserver")
    assert stored(client) == 0


def test_a_signature_over_another_body_is_refused(client: TestClient) -> None:
    """A captured signature cannot carry a different melding."""
    original = build_submission(client).body
    forged = build_submission(client).body
    data = json.dumps(forged).encode()
    headers = SIGNING_KEY.sign("POST", PATH, json.dumps(original).encode())
    response = client.post(
        PATH,
        content=data,
        headers={"Content-Type": "application/json", "Idempotency-Key": "aanvaller-3", **headers},
    )
    refused(response, 401, "handtekening_ongeldig")
    assert stored(client) == 0


def test_a_stale_signature_is_refused(client: TestClient) -> None:
    body = build_submission(client).body
    an_hour_ago = int(time.time()) - 3600
    response = signed_post(
        client, PATH, body, {"Idempotency-Key": body["envelope"]["melding_id"]},
        timestamp=an_hour_ago,
    )  # fmt: skip
    refused(response, 401, "handtekening_ongeldig")
    assert stored(client) == 0


def test_a_replayed_signed_request_is_refused(client: TestClient) -> None:
    """The same signed bytes sent again (a captured request) are refused by nonce."""
    body = build_submission(client).body
    data = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": body["envelope"]["melding_id"],
        **SIGNING_KEY.sign("POST", PATH, data),
    }
    assert client.post(PATH, content=data, headers=headers).status_code == 201
    refused(client.post(PATH, content=data, headers=headers), 401, "handtekening_ongeldig")
    assert stored(client) == 1


def test_submissions_are_rate_limited_per_action_server(make_client: Any) -> None:
    client = make_client(meldingen_per_minuut_per_actieserver=2)
    for _ in range(2):
        assert post_melding(client, build_submission(client).body).status_code == 201
    response = post_melding(client, build_submission(client).body)
    refused(response, 429, "te_veel_meldingen")
    assert int(response.headers["Retry-After"]) > 0
    assert stored(client) == 2


# --- what may be submitted ---------------------------------------------------------------


def test_ciphertext_that_is_not_base64_is_refused(client: TestClient) -> None:
    body = build_submission(client).body
    body["sealed"]["ciphertext"] = "dit is geen base64 maar wel lang genoeg!"
    refused(post_melding(client, body), 422)
    assert stored(client) == 0


def test_a_wrapped_key_of_the_wrong_size_is_refused(client: TestClient) -> None:
    body = build_submission(client).body
    body["sealed"]["recipients"][0]["wrapped_key"] = b64e(b"\x00" * 47)  # 64 characters
    refused(post_melding(client, body), 422)
    assert stored(client) == 0


def test_a_key_id_this_loket_does_not_have_is_refused(client: TestClient) -> None:
    body = build_submission(client).body
    body["sealed"]["recipients"][0]["kid"] = "0123456789abcdef"
    refused(post_melding(client, body), 422, "wrong_recipient")
    assert stored(client) == 0


def test_a_melding_also_sealed_to_a_stranger_is_refused(client: TestClient) -> None:
    """Sealed to the loket and the melder, and also to a key of somebody else."""
    sub = build_submission(client)
    _, stranger = generate_keypair()
    extra = seal(b"x", sub.body["envelope"], [Recipient(key_id(stranger), stranger)])
    sub.body["sealed"]["recipients"].append(extra["recipients"][0])
    assert sub.keys is not None  # signed again by the melder: only the stranger is wrong
    sub.body["melder_handtekening"] = sign_submission(sub.keys, sub.melding_id, sub.body["sealed"])
    refused(post_melding(client, sub.body), 422, "unknown_recipient")
    assert stored(client) == 0


def test_an_upper_case_melding_id_is_refused_not_rewritten(client: TestClient) -> None:
    """The content is bound to the id as sealed; the backend used to lower-case it,
    so nobody could ever open the melding."""
    sub = build_submission(client)
    upper = sub.melding_id.upper()
    body = sub.body
    body["envelope"]["melding_id"] = upper
    error = refused(post_melding(client, body, key=upper), 422)
    assert "melding_id" in error["en"]
    assert stored(client) == 0


def test_a_retry_gets_the_same_answer_as_the_first_time(client: TestClient) -> None:
    body = build_submission(client).body
    first = post_melding(client, body)
    again = post_melding(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert stored(client) == 1
    old = build_submission(client, legacy=True).body  # an older client's outbox row
    first, again = post_melding(client, old), post_melding(client, old)
    assert again.json() == first.json() and again.json()["meldcode"] == old["meldcode"]


def test_a_retry_with_another_melder_key_is_a_conflict(client: TestClient) -> None:
    """It used to answer 200 to the retry, whose melder key opens nothing."""
    sub = build_submission(client)
    assert post_melding(client, sub.body).status_code == 201
    other = melder_keys(new_meldcode())
    sub.body["melder_sleutel"] = b64e(other.sleutel)
    sub.body["melder_public_key"] = b64e(other.public_key)
    sub.body["melder_handtekening"] = sign_submission(other, sub.melding_id, sub.body["sealed"])
    refused(post_melding(client, sub.body), 409, "idempotency_conflict")


def test_a_submission_without_the_melder_key_or_an_older_meldcode_is_refused(
    client: TestClient,
) -> None:
    """A code made up by the backend could not be returned to a retry (it used to
    answer the retry with meldcode null: the melder's only key was lost), and the
    backend would know the melder's key."""
    body = build_submission(client).body
    del body["melder_sleutel"], body["melder_handtekening"]
    body.pop("melder_public_key", None)
    refused(post_melding(client, body), 422)
    assert stored(client) == 0


def test_an_operator_registers_an_action_server_with_the_admin_cli(
    make_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """meldwijzer-admin makes the key and prints the entry; with that entry in the
    configuration the key can submit, and the printed file is owner-only."""
    key_file = tmp_path / "actieserver-1.key"
    made = CliRunner().invoke(cli_app, ["actieservers", "sleutel", str(key_file), "--naam", "a1"])
    assert made.exit_code == 0, made.output
    entry = made.output.strip()
    assert entry.startswith("a1=") and oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = CliRunner().invoke(cli_app, ["actieservers", "sleutel", str(key_file)])
    assert again.exit_code != 0  # an existing key is never overwritten
    monkeypatch.setenv("MELDWIJZER_ACTIESERVERS", entry)
    listed = CliRunner().invoke(cli_app, ["actieservers", "list"])
    assert f"kid={SigningKey.load(key_file).kid}" in listed.output
    client = make_client(actieservers=(entry,))
    body = build_submission(client).body
    headers = {"Idempotency-Key": body["envelope"]["melding_id"]}
    response = signed_post(client, PATH, body, headers, key=SigningKey.load(key_file))
    assert response.status_code == 201, response.text
