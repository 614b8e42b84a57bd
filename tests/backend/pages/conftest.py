"""Page tests: the backend app with the pages installed, on SQLite (cheap key derivation
comes from tests/backend/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.pages import PagesConfig
from backend.storage import db as dbmod
from tests.backend.conftest import AFSPRAKEN, settings_for

FRAME_ORIGIN = "https://intranet.voorbeeld.invalid"


@pytest.fixture(scope="session")
def pages_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "template.db"
    dbmod.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def client(pages_template_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(pages_template_db, tmp_path)


@pytest.fixture
def afspraak_client(pages_template_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    """Pages with an operator's afspraak for every loket without the legal term."""
    yield from _client(pages_template_db, tmp_path, termijnen_bestand=str(AFSPRAKEN))


def _client(pages_template_db: Path, tmp_path: Path, **extra: str) -> Iterator[TestClient]:
    target = tmp_path / "pages.db"
    shutil.copyfile(pages_template_db, target)
    settings = settings_for(f"sqlite:///{target}", **extra)
    config = PagesConfig(
        rasa_url="http://localhost:5005",
        secret=b"test-secret-for-pages",
        chat_frame_ancestors=(FRAME_ORIGIN,),
    )
    app = create_app(settings, pages_config=config)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
