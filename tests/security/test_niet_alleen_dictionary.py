""" "Niet alleen": a database dump cannot be dictionary-searched for a name.

A real backend (SQLite) stores entries for synthetic persons. The test dumps every
table, then tries 1000 synthetic names with every hash it can compute without the
OPRF key (plain hashes of the name and of the matching input, the hash-to-group
point, the index computed as if the hash were the OPRF output, HMACs keyed with every
value stored in ``instellingen``): no hit. With the key (the OPRF key opened with the
secret from the key directory, which is not in the dump) the same search finds exactly
the named persons - so the test can fail.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.keys.niet_alleen_sleutel import NAAM, SECRET_NAME
from envelope import oprf
from envelope.niet_alleen import index_of, matching_input, normalise_naam
from tests.backend.conftest import add_key, database, settings_for, submit
from tests.backend.niet_alleen_steps import name_person

_VOORNAMEN = (
    "Anouk Bram Chantal Daan Esra Fleur Gijs Hanneke Ilse Joost Kees Lotte Mohamed Noor "
    "Olga Pieter Quinten Rachida Sander Tessa Umut Vera Willem Yara Zeynep"
)
VOORNAMEN = _VOORNAMEN.split(" ")
_ACHTERNAMEN = (
    "de Jong;Jansen;de Vries;van den Berg;van Dijk;Bakker;Janssen;Visser;Smit;Meijer;"
    "de Boer;Mulder;de Groot;Bos;Vos;Peters;Hendriks;van Leeuwen;Dekker;Brouwer;"
    "de Wit;Dijkstra;Smits;de Graaf;van der Meer;El Amrani;Yilmaz;Kaya;Öztürk;Çelik;"
    "Bouzid;Tahiri;Nguyen;Martens;Kramer;van Wijk;Post;Kuipers;Willems;Verbeek"
)
ACHTERNAMEN = _ACHTERNAMEN.split(";")
EENHEID = "rotterdam"
NAMEN = [
    {"voornaam": v, "achternaam": a, "eenheid": EENHEID}
    for v, a in itertools.islice(itertools.product(VOORNAMEN, ACHTERNAMEN), 1000)
]
GENOEMD = [NAMEN[3], NAMEN[3], NAMEN[77], NAMEN[512], NAMEN[999]]


@pytest.fixture
def kluis_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sleutelkluis"
    monkeypatch.setenv("MELDWIJZER_SLEUTELKLUIS", str(path))
    return path


@pytest.fixture
def sqlite_client(tmp_path: Path, kluis_dir: Path, sqlite_template: Path) -> Iterator[TestClient]:
    target = tmp_path / "dump-test.db"
    target.write_bytes(sqlite_template.read_bytes())
    settings = settings_for(f"sqlite:///{target}", sleutelkluis=str(kluis_dir))
    with TestClient(create_app(settings)) as client:
        yield client


def _dump(client: TestClient) -> tuple[str, dict[str, str]]:
    """Every table as SQL text (what a stolen backup holds), and the instellingen rows."""
    path = database(client).engine.url.database
    assert path
    conn = sqlite3.connect(path)
    try:
        text = "\n".join(conn.iterdump())
        instellingen = dict(conn.execute("SELECT naam, waarde FROM instellingen").fetchall())
    finally:
        conn.close()
    return text, instellingen


def _variants(form: dict[str, str]) -> list[bytes]:
    first, last = normalise_naam(form["voornaam"], form["achternaam"])
    full = f"{form['voornaam']} {form['achternaam']}"
    texts = [
        full,
        full.lower(),
        f"{first} {last}",
        f"{first}{last}",
        f"{first} {last} {form['eenheid']}",
        f"{full} {form['eenheid']}",
        form["achternaam"],
        last,
    ]
    return [t.encode() for t in texts] + [matching_input(form)]


def _encodings(digest: bytes) -> list[str]:
    return [
        digest.hex(),
        base64.b64encode(digest).decode(),
        base64.urlsafe_b64encode(digest).decode().rstrip("="),
    ]


def _keyless_candidates(form: dict[str, str], secrets: list[bytes]) -> set[str]:
    found: set[str] = set()
    for data in _variants(form):
        digests = [
            hashlib.sha256(data).digest(),
            hashlib.sha512(data).digest(),
            hashlib.sha1(data).digest(),  # noqa: S324 - an attacker's guess, not our use
            hashlib.md5(data).digest(),  # noqa: S324
            hashlib.blake2b(data).digest(),
            hashlib.sha3_256(data).digest(),
        ]
        if data.startswith(b"meldwijzer/"):
            digests.append(oprf.hash_to_group(data).encode())
        # The index as if a plain hash, or a key taken from the dump, were the OPRF key.
        as_if = [hashlib.sha512(data).digest(), hashlib.sha256(data).digest()]
        for secret in secrets:
            digests.append(hmac.new(secret, data, hashlib.sha256).digest())
            as_if.append(hmac.new(secret, data, hashlib.sha512).digest())
            # A 32-byte value taken as the OPRF scalar, on the real input only.
            if len(secret) == 32 and data.startswith(b"meldwijzer/"):
                with contextlib.suppress(oprf.OprfError):
                    as_if.append(oprf.evaluate(oprf.deserialize_scalar(secret[:32]), data))
        for candidate in digests:
            found.update(_encodings(candidate))
        found.update(index_of(out) for out in as_if)
    return found


def _secrets_in(instellingen: dict[str, str]) -> list[bytes]:
    """Every byte string an attacker can take from the instellingen rows."""
    out = []
    for value in instellingen.values():
        try:
            out.append(bytes.fromhex(value))
        except ValueError:
            stored = json.loads(value)
            out.extend(base64.b64decode(v) for v in stored.values())
    return out


def test_a_database_dump_cannot_be_dictionary_searched(
    sqlite_client: TestClient, kluis_dir: Path
) -> None:
    client = sqlite_client
    add_key(client, "vertrouwenspersoon", EENHEID)
    for form in GENOEMD:
        sub = submit(client)
        assert sub.keys is not None
        assert name_person(client, sub.keys, sub.melding_id, form).status_code == 201
    text, instellingen = _dump(client)
    assert text.count('INSERT INTO "niet_alleen_vermeldingen"') == len(GENOEMD)

    # The secret that opens the OPRF key is in the key directory, not in the dump.
    outside = (kluis_dir / f"{SECRET_NAME}.secret").read_text().strip()
    assert outside not in text
    secrets = _secrets_in(instellingen)
    stored_key = json.loads(instellingen[NAAM])
    for secret in secrets:  # no value in the dump opens the stored OPRF key
        if len(secret) in (16, 24, 32):
            with pytest.raises(InvalidTag):
                AESGCM(secret).decrypt(
                    base64.b64decode(stored_key["nonce"]),
                    base64.b64decode(stored_key["ct"]),
                    b"meldwijzer/niet-alleen/oprf-sleutel/v1",
                )

    # Without the OPRF key: 1000 names, no hit.
    hits = [
        f"{f['voornaam']} {f['achternaam']}"
        for f in NAMEN
        if any(c in text for c in _keyless_candidates(f, secrets))
    ]
    assert hits == []
    # Names never appear in any form either.
    for form in GENOEMD:
        assert form["achternaam"] not in text
        assert "".join(normalise_naam(form["voornaam"], form["achternaam"])) not in text

    # With the key (dump + key directory) the same search finds exactly the named ones.
    plain = AESGCM(bytes.fromhex(outside)).decrypt(
        base64.b64decode(stored_key["nonce"]),
        base64.b64decode(stored_key["ct"]),
        b"meldwijzer/niet-alleen/oprf-sleutel/v1",
    )
    sk = oprf.deserialize_scalar(plain)
    with_key = {
        f"{f['voornaam']} {f['achternaam']}"
        for f in NAMEN
        if index_of(oprf.evaluate(sk, matching_input(f))) in text
    }
    assert with_key == {f"{f['voornaam']} {f['achternaam']}" for f in GENOEMD}
