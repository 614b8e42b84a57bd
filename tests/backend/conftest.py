"""Backend tests run on SQLite and on the local PostgreSQL server.

The PostgreSQL variant makes a fresh database per test from a migrated
template (created once per session) and drops it afterwards. It is skipped,
with a clear message, only when no server can be reached.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from backend.accounts.gebruikers import create_user
from backend.app import create_app
from backend.cli import app as cli_app
from backend.core.config import Settings
from backend.domain.herinneringen import MemoryNotifier
from backend.keys import meldcode_hash, protection
from backend.keys.loket_keys import generate_key
from backend.keys.protection import Argon2Cost
from backend.storage import db as dbmod
from envelope import melder_key
from envelope.meldcode import new_meldcode
from envelope.melder_auth import open_berichten, seal_bericht, sign_submission, signed_request
from envelope.melder_key import MelderKeys, melder_keys, melder_recipient
from envelope.request_signing import SigningKey
from envelope.sealing import Recipient, b64d, b64e, envelope_header, seal

PASSPHRASE = "een test-wachtzin voor het loket"
PASSWORD = "een test-wachtwoord van de gebruiker"
PG_ADMIN_URL = os.environ.get("MELDWIJZER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_COST = Argon2Cost(time_cost=1, memory_kib=1024, parallelism=1)
CANARY = "CANARY-9b2e-kantine-achterdeur"
# The test action server's signing key, registered with every test backend.
SIGNING_KEY = SigningKey.generate()
ACTIESERVERS = (f"test-actieserver={SIGNING_KEY.public_text}",)


# --- databases -------------------------------------------------------------------------


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    conn.autocommit = True
    return conn


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _pg_create(name: str, template: str | None = None) -> None:
    conn = _pg_admin()
    with conn.cursor() as cur:
        suffix = f" TEMPLATE {template}" if template else ""
        cur.execute(f'CREATE DATABASE "{name}"{suffix}')
    conn.close()


def _pg_drop(name: str) -> None:
    conn = _pg_admin()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database (once per session), or a skip if no server."""
    try:
        _pg_admin().close()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
    name = f"mw_test_tmpl_{uuid.uuid4().hex[:10]}"
    _pg_create(name)
    try:
        dbmod.upgrade(_pg_url(name))
        dbmod.Database(_pg_url(name)).engine.dispose()
        yield name
    finally:
        _pg_drop(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (migrating takes longer than copying)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    dbmod.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "backend.storage.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"mw_test_{uuid.uuid4().hex[:12]}"
    _pg_create(name, template)
    try:
        yield _pg_url(name)
    finally:
        _pg_drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without any tables (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    try:
        _pg_admin().close()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
    name = f"mw_test_empty_{uuid.uuid4().hex[:10]}"
    _pg_create(name)
    try:
        yield _pg_url(name)
    finally:
        _pg_drop(name)


# --- cheap key derivation in tests only ------------------------------------------------


@pytest.fixture(autouse=True)
def cheap_kdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lower scrypt costs for passphrases, meldcode hashes and melder keys (tests only;
    the test submissions and the backend derive the melder key in the same process)."""
    monkeypatch.setattr(protection, "SCRYPT_N", 2**10)
    monkeypatch.setattr(meldcode_hash, "_N", 2**10)
    monkeypatch.setattr(melder_key, "_N", 2**10)


def settings_for(database_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "argon2_time_cost": TEST_COST.time_cost,
        "argon2_memory_kib": TEST_COST.memory_kib,
        "meldcode_vertraging_ms": 0,
        "herinnering_interval_seconden": 0,
        "actieservers": ACTIESERVERS,
        **extra,
    }
    return Settings(**values)


@pytest.fixture
def notifier() -> MemoryNotifier:
    return MemoryNotifier()


@pytest.fixture
def client(database_url: str, notifier: MemoryNotifier) -> Iterator[TestClient]:
    app = create_app(settings_for(database_url), notifier=notifier)
    with TestClient(app) as test_client:
        yield test_client


# An operator's override (MELDWIJZER_TERMIJNEN): an afspraak for every loket that has
# no legal term, so tests can see a clock at every loket.
AFSPRAKEN = Path(__file__).resolve().parent / "termijnen_afspraken.yaml"


@pytest.fixture
def afspraak_client(database_url: str, notifier: MemoryNotifier) -> Iterator[TestClient]:
    app = create_app(
        settings_for(database_url, termijnen_bestand=str(AFSPRAKEN)), notifier=notifier
    )
    with TestClient(app) as test_client:
        yield test_client


# --- building blocks -------------------------------------------------------------------


def database(client: TestClient) -> dbmod.Database:
    return client.app.state.db  # type: ignore[attr-defined,no-any-return]


def add_key(
    client: TestClient, loket: str = "vertrouwenspersoon", scope: str = "rotterdam"
) -> None:
    with database(client).session() as session:
        generate_key(session, loket, scope, PASSPHRASE)


def add_user(
    client: TestClient,
    naam: str,
    loket: str = "vertrouwenspersoon",
    scope: str = "rotterdam",
    rol: str = "behandelaar",
) -> None:
    with database(client).session() as session:
        create_user(session, naam, loket, scope, rol, PASSWORD, PASSPHRASE, TEST_COST)


def login(client: TestClient, naam: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/loket/login", json={"naam": naam, "wachtwoord": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@dataclass
class Submitted:
    melding_id: str
    meldcode: str
    body: dict[str, Any]
    keys: MelderKeys | None = None  # None for an older (16-character) meldcode


MELDER_PATHS = {
    "status": "/api/v1/melder/status",
    "berichten": "/api/v1/melder/berichten",
    "aanvulling": "/api/v1/melder/aanvulling",
    "intrekken": "/api/v1/melder/intrekken",
}


def legacy_meldcode() -> str:
    """An older, 16-character meldcode (the old path)."""
    return "-".join(new_meldcode().split("-")[:4])


def melder_status_response(client: TestClient, sub: Submitted) -> Any:
    if sub.keys is None:
        return client.post("/api/v1/melder/status", json={"meldcode": sub.meldcode})
    return melder_post(client, sub.keys, "status")


def melder_status(client: TestClient, sub: Submitted) -> dict[str, Any]:
    """Status with the messages opened, on the melder's side for a current meldcode."""
    response = melder_status_response(client, sub)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    if sub.keys is not None:
        data["berichten"] = open_berichten(data, sub.keys)
    return data


def melder_write(client: TestClient, sub: Submitted, soort: str, tekst: str) -> Any:
    """A reply or aanvulling; sealed on the melder's side for a current meldcode."""
    actie = "aanvulling" if soort == "aanvulling" else "berichten"
    if sub.keys is None:
        return client.post(MELDER_PATHS[actie], json={"meldcode": sub.meldcode, "tekst": tekst})
    status = melder_post(client, sub.keys, "status").json()
    return melder_post(client, sub.keys, actie, seal_bericht(status, sub.keys, soort, tekst))


def melder_withdraw(client: TestClient, sub: Submitted) -> Any:
    if sub.keys is None:
        return client.post("/api/v1/melder/intrekken", json={"meldcode": sub.meldcode})
    return melder_post(client, sub.keys, "intrekken")


def melder_post(
    client: TestClient, keys: MelderKeys, actie: str, body: dict[str, Any] | None = None
) -> Any:
    """A melder's request as the melder's side makes it: a fresh challenge, signed."""
    challenge = client.post("/api/v1/melder/uitdaging").json()["uitdaging"]
    return client.post(MELDER_PATHS[actie], json=signed_request(keys, actie, challenge, body))


def build_submission(
    client: TestClient,
    loket: str = "vertrouwenspersoon",
    eenheid: str = "rotterdam",
    categorie: str = "pesten",
    toestemming: bool = False,
    identiteit: dict[str, str] | None = None,
    legacy: bool = False,
) -> Submitted:
    key = client.get(f"/api/v1/lokets/{loket}/{eenheid}/publickey").json()
    melding_id = str(uuid.uuid4())
    meldcode = legacy_meldcode() if legacy else new_meldcode()
    melding = {
        "schema": "meldwijzer.melding/1",
        "melding_id": melding_id,
        "aangemaakt_op": "2026-11-26T10:00:00+00:00",
        "kanaal": "chat",
        "loket": loket,
        "categorie": categorie,
        "eenheid": eenheid,
        "beschrijving": f"Ze lachen me uit bij elke briefing. {CANARY}",
        "wens": "steun",
        "anoniem": identiteit is None,
    }
    header = envelope_header(melding)
    loket_rcpt = Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))
    body: dict[str, Any] = {"envelope": header, "toestemming_doorsturen": toestemming}
    keys: MelderKeys | None = None
    if legacy:
        # An older client: a 16-character meldcode in the body (e.g. a waiting outbox row).
        melder = melder_recipient(meldcode, melding_id)
        body["sealed"] = seal(json.dumps(melding).encode(), header, [loket_rcpt, melder])
        body.update(meldcode=meldcode, melder_public_key=b64e(melder.public_key))
    else:
        keys = melder_keys(meldcode)
        body["sealed"] = seal(json.dumps(melding).encode(), header, [loket_rcpt, keys.recipient])
        body.update(
            melder_sleutel=b64e(keys.sleutel),
            melder_handtekening=sign_submission(keys, melding_id, body["sealed"]),
        )
    if identiteit is not None:
        body["sealed_identiteit"] = seal(
            json.dumps(identiteit).encode(), {**header, "deel": "identiteit"}, [loket_rcpt]
        )
    return Submitted(melding_id, meldcode, body, keys)


def signed_post(
    client: TestClient,
    path: str,
    body: Any,
    headers: dict[str, str] | None = None,
    key: SigningKey = SIGNING_KEY,
    **signing: Any,
) -> Any:
    """A POST as the action server sends it: JSON body, signed over method, path and body."""
    data = json.dumps(body).encode()
    return client.post(
        path,
        content=data,
        headers={
            "Content-Type": "application/json",
            **(headers or {}),
            **key.sign("POST", path, data, **signing),
        },
    )


def post_melding(client: TestClient, body: dict[str, Any], key: str | None = None) -> Any:
    """Submit a sealed melding, signed by the test action server."""
    idempotency = key or body["envelope"]["melding_id"]
    return signed_post(client, "/api/v1/meldingen", body, {"Idempotency-Key": idempotency})


def submit(client: TestClient, **kwargs: Any) -> Submitted:
    sub = build_submission(client, **kwargs)
    response = post_melding(client, sub.body)
    assert response.status_code == 201, response.text
    return sub


# --- the admin CLI --------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MELDWIJZER_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("MELDWIJZER_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.delenv("MELDWIJZER_PASSPHRASE", raising=False)
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE)
    return passphrase


def cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output
