"""Ontvangstbewijzen: issued on acceptance, in the audit chain, checkable by anyone;
any change, a foreign key or an unknown key makes a receipt invalid (API, CLI, page)."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner
from weasyprint import HTML

from backend.app import create_app
from backend.cli import app as cli_app
from backend.domain.audit import verify as verify_chain
from backend.domain.ontvangstbewijs import (
    AUDIT_ACTIE,
    VELDEN,
    check,
    sealed_sha256,
    signed_bytes,
)
from backend.pages.bewijs import bewijs_html
from backend.pages.config import PagesConfig
from backend.pages.kit import PageKit
from backend.pages.routeboekje import STATIC_DIR
from backend.routing.routeboekje import default_routeboekje
from backend.storage.models import AuditRegel, Bewijssleutel

from ..conftest import (
    CANARY,
    add_key,
    build_submission,
    database,
    melder_status,
    post_melding,
    settings_for,
    submit,
)


def receipt_of(client: TestClient, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    add_key(client)
    sub = build_submission(client, **kwargs)
    response = post_melding(client, sub.body)
    assert response.status_code == 201, response.text
    return sub, response.json()["ontvangstbewijs"]


def controleer(client: TestClient, bewijs: Any) -> dict[str, Any]:
    response = client.post("/api/v1/bewijs/controleren", json=bewijs)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_receipt_on_acceptance_is_valid_and_in_the_audit_chain(client: TestClient) -> None:
    sub, bewijs = receipt_of(client, identiteit={"naam": "Test Persoon", "contact": "x"})
    assert bewijs["melding_id"] == sub.melding_id
    assert (bewijs["loket"], bewijs["eenheid"]) == ("vertrouwenspersoon", "rotterdam")
    assert bewijs["inhoud_sha256"] == sealed_sha256(sub.body["sealed"])
    assert bewijs["identiteit_sha256"] == sealed_sha256(sub.body["sealed_identiteit"])
    assert CANARY not in json.dumps(bewijs) and "Test Persoon" not in json.dumps(bewijs)
    uitslag = controleer(client, bewijs)
    assert uitslag["geldig"] is True and uitslag["in_auditketen"] is True
    assert "echt" in uitslag["melding_nl"]
    with database(client).session() as session:
        regel = session.get(AuditRegel, bewijs["audit"]["volgnummer"])
        assert regel is not None and regel.actie == AUDIT_ACTIE
        assert regel.melding_id == sub.melding_id and regel.hash == bewijs["audit"]["hash"]
        assert bewijs["inhoud_sha256"] in regel.details
        assert verify_chain(session).ok


def test_a_replay_and_the_follow_up_return_the_same_receipt(client: TestClient) -> None:
    sub, bewijs = receipt_of(client)
    again = post_melding(client, sub.body)
    assert again.status_code == 200
    assert again.json()["ontvangstbewijs"] == bewijs
    assert melder_status(client, sub)["ontvangstbewijs"] == bewijs
    legacy = submit(client, legacy=True)
    assert melder_status(client, legacy)["ontvangstbewijs"]["melding_id"] == legacy.melding_id


def _tampered(bewijs: dict[str, Any], field: str) -> dict[str, Any]:
    changed = copy.deepcopy(bewijs)
    if field == "audit":
        changed["audit"]["volgnummer"] += 1
    elif field == "identiteit_sha256":
        changed[field] = "0" * 64
    elif field == "ontvangen_op":
        changed[field] = changed[field].replace(changed[field][:4], "2025", 1)
    elif field == "handtekening":
        raw = bytearray(base64.b64decode(changed[field]))
        raw[0] ^= 1
        changed[field] = base64.b64encode(bytes(raw)).decode()
    else:
        value = changed[field]
        changed[field] = value[:-1] + ("0" if value[-1] != "0" else "1")
    return changed


FIELDS = VELDEN


def test_any_changed_field_makes_the_receipt_invalid(client: TestClient) -> None:
    _sub, bewijs = receipt_of(client)
    for field in FIELDS:
        uitslag = controleer(client, _tampered(bewijs, field))
        assert uitslag["geldig"] is False, field
    extra = {**bewijs, "opmerking": "toegevoegd"}
    assert controleer(client, extra)["geldig"] is False
    missing = {k: v for k, v in bewijs.items() if k != "identiteit_sha256"}
    assert controleer(client, missing)["geldig"] is False


def test_signed_with_another_key_is_invalid(client: TestClient) -> None:
    _sub, bewijs = receipt_of(client)
    forged = {**bewijs, "loket": "meldpunt_misstanden"}
    forged["handtekening"] = base64.b64encode(
        Ed25519PrivateKey.generate().sign(signed_bytes(forged))
    ).decode()
    uitslag = controleer(client, forged)
    assert uitslag["geldig"] is False and "handtekening" in uitslag["melding_nl"].lower()
    unknown = {**forged, "sleutel_id": "0123456789abcdef"}
    assert "niet kent" in controleer(client, unknown)["melding_nl"]


def test_valid_after_restart_and_after_rotation(
    database_url: str, cli_env: Path, tmp_path: Path
) -> None:
    with TestClient(create_app(settings_for(database_url))) as first:
        _sub, old = receipt_of(first)
    assert CliRunner().invoke(cli_app, ["bewijs", "roteer"]).exit_code == 0
    with TestClient(create_app(settings_for(database_url))) as second:
        assert controleer(second, old)["geldig"] is True
        new_sub = build_submission(second)
        new = post_melding(second, new_sub.body).json()["ontvangstbewijs"]
        assert new["sleutel_id"] != old["sleutel_id"]
        assert controleer(second, new)["geldig"] is True
        keys = second.get("/api/v1/bewijs/sleutels").json()["sleutels"]
        assert {k["sleutel_id"]: k["actief"] for k in keys} == {
            old["sleutel_id"]: False,
            new["sleutel_id"]: True,
        }
        with database(second).session() as session:
            retired = session.get(Bewijssleutel, old["sleutel_id"])
            assert retired is not None and retired.omhulde_private_key is None


def test_a_lost_wrapping_key_means_a_new_key_and_old_receipts_stay_valid(
    database_url: str, tmp_path: Path
) -> None:
    first_kluis, second_kluis = tmp_path / "kluis1", tmp_path / "kluis2"
    with TestClient(create_app(settings_for(database_url, sleutelkluis=str(first_kluis)))) as a:
        _sub, old = receipt_of(a)
    # A restore on another machine: the database, but not the sleutelkluis.
    with TestClient(create_app(settings_for(database_url, sleutelkluis=str(second_kluis)))) as b:
        new_sub = build_submission(b)
        new = post_melding(b, new_sub.body).json()["ontvangstbewijs"]
        assert new["sleutel_id"] != old["sleutel_id"]
        assert controleer(b, old)["geldig"] is True and controleer(b, new)["geldig"] is True


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli_app, list(args))


def test_cli_controleer_valid_tampered_and_sealed_file(
    database_url: str, cli_env: Path, tmp_path: Path
) -> None:
    with TestClient(create_app(settings_for(database_url))) as client:
        sub, bewijs = receipt_of(client)
    good = tmp_path / "bewijs.json"
    good.write_text(json.dumps(bewijs), encoding="utf-8")
    result = _cli("bewijs", "controleer", str(good))
    assert result.exit_code == 0, result.output
    assert "GELDIG" in result.output and "VALID" in result.output
    assert "staat in de auditketen" in result.output
    sealed = tmp_path / "sealed.json"
    sealed.write_text(json.dumps(sub.body["sealed"], indent=2), encoding="utf-8")
    assert _cli("bewijs", "controleer", str(good), "--verzegeld", str(sealed)).exit_code == 0
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**sub.body["sealed"], "nonce": "AAAAAAAAAAAAAAAA"}))
    result = _cli("bewijs", "controleer", str(good), "--verzegeld", str(other))
    assert result.exit_code == 1 and "hoort niet bij dit bewijs" in result.output
    for field in ("melding_id", "ontvangen_op", "handtekening", "loket"):
        bad = tmp_path / f"bad-{field}.json"
        bad.write_text(json.dumps(_tampered(bewijs, field)), encoding="utf-8")
        result = _cli("bewijs", "controleer", str(bad))
        assert result.exit_code == 1, field
        assert "ONGELDIG" in result.output and "INVALID" in result.output
    junk = tmp_path / "junk.json"
    junk.write_text("geen json")
    assert _cli("bewijs", "controleer", str(junk)).exit_code == 1


def test_pdf_only_for_a_valid_receipt(client: TestClient) -> None:
    _sub, bewijs = receipt_of(client, identiteit={"naam": "Test Persoon", "contact": "x"})
    response = client.post("/bewijs/pdf", json=bewijs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # One page, also with the longest names and an identity hash.
    with database(client).session() as session:
        uitslag = check(session, bewijs)
    kit = PageKit(PagesConfig("http://localhost:5005"), default_routeboekje())
    html = bewijs_html(kit, uitslag, "http://localhost:8000/bewijs/controleren")
    styled = html.replace('href="/static/', f'href="{STATIC_DIR.as_uri()}/')
    assert len(HTML(string=styled).render().pages) == 1
    assert "SHA-256" in html and bewijs["handtekening"] in html
    refused = client.post("/bewijs/pdf", json=_tampered(bewijs, "eenheid"))
    assert refused.status_code == 422
    assert "handtekening" in refused.text.lower()


def _audit_rows(client: TestClient) -> int:
    with database(client).session() as session:
        return len(session.scalars(select(AuditRegel)).all())


def test_verify_page_by_paste_and_by_file(client: TestClient) -> None:
    _sub, bewijs = receipt_of(client)
    rows = _audit_rows(client)
    page = client.get("/bewijs/controleren")
    assert page.status_code == 200 and bewijs["sleutel_id"] in page.text
    pasted = client.post("/bewijs/controleren", data={"bewijs": json.dumps(bewijs)})
    assert pasted.status_code == 200 and 'data-geldig="ja"' in pasted.text
    assert bewijs["melding_id"] in pasted.text and "logboek" in pasted.text
    upload = client.post(
        "/bewijs/controleren",
        files={
            "bestand": ("bewijs.json", json.dumps(_tampered(bewijs, "loket")), "application/json")
        },
    )
    assert upload.status_code == 422 and 'data-geldig="nee"' in upload.text
    assert "Niet geldig" in upload.text
    empty = client.post("/bewijs/controleren", data={"bewijs": " "})
    assert empty.status_code == 422
    client.post("/bewijs/pdf", json=bewijs)
    controleer(client, bewijs)
    assert _audit_rows(client) == rows  # checking and rendering store nothing


@pytest.mark.parametrize("body", [[], "x", {"formaat": 1}])
def test_garbage_is_refused_clearly(client: TestClient, body: Any) -> None:
    response = client.post("/api/v1/bewijs/controleren", json=body)
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["geldig"] is False
