# ruff: noqa: F811  (the fixtures are imported from tests/backend/conftest.py)
"""Review finding 7: portal sessions end when the browser closes, after idle time and
after the absolute limit; cookies are Secure over https.

The real app (pages + API) on SQLite and PostgreSQL. Idle time is simulated by moving
the session's last activity back in the database (no sleeping, no timed assertions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from backend.app import create_app
from backend.pages import PagesConfig
from backend.pages.config import parse_secure
from backend.storage.clock import utcnow
from backend.storage.models import Sessie
from tests.backend.conftest import (  # noqa: F401 - fixtures
    PASSWORD,
    add_key,
    add_user,
    cheap_kdfs,
    database,
    database_url,
    login,
    pg_template,
    settings_for,
    sqlite_template,
)

PORTAL_COOKIES = ("mw_portaal", "mw_portaal_wie", "mw_portaal_csrf")


def make_client(url: str, base_url: str, secure: bool | None = None) -> TestClient:
    settings = settings_for(url, sessie_inactief_minuten=20, sessie_minuten=480)
    config = PagesConfig("http://localhost:5005", b"test-secret", (), secure_cookies=secure)
    return TestClient(create_app(settings, pages_config=config), base_url=base_url)


@pytest.fixture
def http_client(database_url: str) -> Iterator[TestClient]:
    with make_client(database_url, "http://testserver") as client:
        add_key(client)
        add_user(client, "vp.rotterdam")
        yield client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def portal_login(client: TestClient) -> list[str]:
    """Log in through the login form; the Set-Cookie headers of the answer."""
    token = csrf_of(client.get("/portaal/inloggen").text)
    r = client.post(
        "/portaal/inloggen",
        data={"naam": "vp.rotterdam", "wachtwoord": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/portaal/inbox", r.text
    return r.headers.get_list("set-cookie")


def cookie(headers: list[str], name: str) -> str:
    found = [h for h in headers if h.startswith(name + "=")]
    assert found, f"no {name} cookie set"
    return found[-1]


def test_portal_cookies_are_browser_session_cookies(http_client: TestClient) -> None:
    """No Max-Age and no Expires: the browser forgets the login when it closes."""
    headers = portal_login(http_client)
    for name in PORTAL_COOKIES:
        value = cookie(headers, name).lower()
        assert "max-age" not in value and "expires" not in value, value
        assert "httponly" in value and "samesite=strict" in value
    # the local http demo: no Secure flag, and the login works
    assert all("secure" not in cookie(headers, n).lower() for n in PORTAL_COOKIES)
    assert http_client.get("/portaal/inbox").status_code == 200


def test_idle_session_ends_on_the_server(http_client: TestClient) -> None:
    portal_login(http_client)
    assert http_client.get("/portaal/inbox").status_code == 200
    db = database(http_client)
    # 19 minutes without a request: still logged in, and the request counts as activity.
    with db.session() as s:
        s.execute(update(Sessie).values(laatst_actief_op=utcnow() - timedelta(minutes=19)))
    assert http_client.get("/portaal/inbox").status_code == 200
    with db.session() as s:
        last = s.scalars(select(Sessie.laatst_actief_op)).one()
    assert last is not None
    # 21 minutes without a request: the server refuses the session, the portal says why.
    with db.session() as s:
        s.execute(update(Sessie).values(laatst_actief_op=utcnow() - timedelta(minutes=21)))
    r = http_client.get("/portaal/inbox", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/portaal/inloggen?verlopen=1"
    page = http_client.get(r.headers["location"])
    assert "Daarom ben je uitgelogd" in page.text
    # The cookie is gone from the client too, and the same token no longer works.
    assert http_client.get("/portaal/inbox", follow_redirects=False).status_code == 303


def test_idle_and_absolute_limits_for_api_tokens(http_client: TestClient) -> None:
    headers = login(http_client, "vp.rotterdam")
    db = database(http_client)
    assert http_client.get("/api/v1/loket/meldingen", headers=headers).status_code == 200
    with db.session() as s:
        s.execute(update(Sessie).values(laatst_actief_op=utcnow() - timedelta(minutes=25)))
    r = http_client.get("/api/v1/loket/meldingen", headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "niet_ingelogd"

    headers = login(http_client, "vp.rotterdam")
    with db.session() as s:  # active a second ago, but logged in more than 8 hours ago
        s.execute(
            update(Sessie).values(
                laatst_actief_op=utcnow(), verloopt_op=utcnow() - timedelta(seconds=1)
            )
        )
    assert http_client.get("/api/v1/loket/meldingen", headers=headers).status_code == 401


def test_a_new_login_clears_idle_sessions(http_client: TestClient) -> None:
    login(http_client, "vp.rotterdam")
    db = database(http_client)
    with db.session() as s:
        s.execute(update(Sessie).values(laatst_actief_op=utcnow() - timedelta(hours=1)))
    login(http_client, "vp.rotterdam")
    with db.session() as s:
        assert len(s.scalars(select(Sessie)).all()) == 1


def test_cookies_are_secure_over_https(database_url: str) -> None:
    with make_client(database_url, "https://testserver") as client:
        add_key(client)
        add_user(client, "vp.rotterdam")
        first = client.get("/portaal/inloggen").headers.get_list("set-cookie")
        assert "secure" in cookie(first, "mw_portaal_csrf").lower()
        headers = portal_login(client)
        for name in PORTAL_COOKIES:
            assert "secure" in cookie(headers, name).lower(), name
        assert client.get("/portaal/inbox").status_code == 200


def test_secure_cookies_forced_behind_a_tls_proxy(database_url: str) -> None:
    """Behind a proxy that ends TLS the app sees http: MELDWIJZER_COOKIES_SECURE=1."""
    with make_client(database_url, "http://testserver", secure=True) as client:
        # (a client over plain http does not send Secure cookies back, so no login here)
        first = client.get("/portaal/inloggen").headers.get_list("set-cookie")
        assert "secure" in cookie(first, "mw_portaal_csrf").lower()
        volgen = client.get("/volgen").headers.get_list("set-cookie")
        assert "secure" in cookie(volgen, "mw_volgen").lower()
    assert parse_secure("auto") is None and parse_secure("1") is True
    assert parse_secure("0") is False
    with pytest.raises(ValueError):
        parse_secure("misschien")
