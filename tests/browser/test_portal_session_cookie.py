"""Review finding 7 in a real browser: the portal login lives in a browser-session
cookie, so a new browser session (the browser closed and opened again) is logged out.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import PASSWORD, USER, Live

pytestmark = pytest.mark.browser


def test_portal_login_does_not_survive_closing_the_browser(
    page: Any, browser: Any, live: Live
) -> None:
    page.goto(live.base + "/portaal/inloggen")
    page.fill("#naam", USER)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portaal/inbox")
    cookies = {c["name"]: c for c in page.context.cookies()}
    for name in ("mw_portaal", "mw_portaal_wie", "mw_portaal_csrf"):
        assert cookies[name]["expires"] == -1, f"{name} is kept on disk"  # session cookie
        assert cookies[name]["httpOnly"] and cookies[name]["sameSite"] == "Strict"
    # What a browser keeps on disk when it closes: only cookies with an expiry date.
    kept = [c for c in page.context.cookies() if c["expires"] != -1]
    later = browser.new_context(locale="nl-NL")
    try:
        later.add_cookies(kept)
        again = later.new_page()
        again.goto(live.base + "/portaal/inbox")
        assert again.url.endswith("/portaal/inloggen")
    finally:
        later.close()
