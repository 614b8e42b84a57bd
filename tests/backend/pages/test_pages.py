"""Pages: headers, CSRF, escaping, follow-up and portal flows, routeboekje content."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from backend.core.security_headers import parse_origins
from backend.domain.casuistiek import grenzen, laatst_afgesloten
from backend.pages.csrf import sign, verify
from backend.pages.routeboekje import all_codes
from backend.routing.routeboekje import default_routeboekje
from backend.storage.clock import utcnow
from backend.storage.models import Melding
from tests.backend.conftest import CANARY, PASSWORD, add_key, add_user, database, submit
from tests.backend.pages.conftest import FRAME_ORIGIN

PAGES = [
    "/chat",
    "/chat/aspirant",
    "/weg",
    "/volgen",
    "/portaal/inloggen",
    "/routeboekje",
    "/routeboekje/rotterdam",
]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "default-src 'none'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    if path.startswith("/chat"):
        assert f"frame-ancestors 'self' {FRAME_ORIGIN}" in csp
        assert "connect-src 'self' http://localhost:5005 ws://localhost:5005" in csp
        assert "x-frame-options" not in response.headers
    else:
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_or_style_and_no_third_party(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
        assert url.startswith(("/", "#")), url


def test_chat_entry_points(client: TestClient) -> None:
    assert 'data-start="/greet"' in client.get("/chat").text
    aspirant = client.get("/chat/aspirant").text
    assert 'data-start="/onboarding"' in aspirant and "aspirant" in aspirant
    assert "Snel weg" in aspirant and "Anoniem mag" in aspirant


def test_bundle_is_served_locally(client: TestClient) -> None:
    response = client.get("/static/build/chat.js")
    assert response.status_code == 200
    assert "session_request" in response.text and "user_uttered" in response.text


def test_frame_ancestors_refuse_non_origins() -> None:
    assert parse_origins("https://a.invalid, http://b.invalid:8080") == (
        "https://a.invalid",
        "http://b.invalid:8080",
    )
    for bad in ("*", "https://a.invalid/pad", "'unsafe-inline'", "javascript:x"):
        with pytest.raises(ValueError):
            parse_origins(bad)


def test_signed_values() -> None:
    signed = sign(b"k", "vp|vertrouwenspersoon|rotterdam|behandelaar")
    assert verify(b"k", signed) == "vp|vertrouwenspersoon|rotterdam|behandelaar"
    assert verify(b"k", signed.replace("vp|", "xx|")) is None
    assert verify(b"other", signed) is None


# --- follow-up page --------------------------------------------------------------------


def test_volgen_refuses_forms_without_csrf(client: TestClient) -> None:
    response = client.post("/volgen", data={"meldcode": "7KQ4-M2XD-9RTA-HB3C"})
    assert response.status_code == 403
    client.get("/volgen")
    response = client.post("/volgen", data={"meldcode": "7KQ4-M2XD-9RTA-HB3C", "csrf": "0" * 64})
    assert response.status_code == 403
    evil = client.post(
        "/volgen",
        data={"meldcode": "x", "csrf": csrf_of(client.get("/volgen").text)},
        headers={"Origin": "https://kwaad.invalid"},
    )
    assert evil.status_code == 403


def test_volgen_unknown_code_is_a_clear_dutch_error(client: TestClient) -> None:
    token = csrf_of(client.get("/volgen").text)
    response = client.post("/volgen", data={"meldcode": "ABCD-EFGH-JKMN-PQRS", "csrf": token})
    assert response.status_code == 404
    assert "We vinden geen melding" in response.text
    assert "PQRS" not in response.text  # the code is not echoed back


def test_volgen_never_uses_a_current_meldcode_on_the_server(client: TestClient) -> None:
    """The page's field for the code has no name: only the browser uses a current code
    (web/src/volgen.js; tests/browser). Posted by hand, the server refuses it unused."""
    add_key(client)
    sub = submit(client)
    page = client.get("/volgen")
    assert 'id="meldcode" type="text"' in page.text
    assert 'name="meldcode" id="meldcode-oud"' in page.text  # older codes only
    assert '<script src="/static/build/volgen.js" defer></script>' in page.text
    token = csrf_of(page.text)
    r = client.post("/volgen", data={"meldcode": sub.meldcode, "csrf": token})
    assert r.status_code == 422 and "alleen in je browser" in r.text
    assert sub.meldcode not in r.text and "Hoe staat het ervoor?" not in r.text
    r = client.post(
        "/volgen/intrekken", data={"meldcode": sub.meldcode, "csrf": token, "zeker": "ja"}
    )
    assert r.status_code == 422
    with database(client).session() as session:
        assert session.get(Melding, sub.melding_id).status == "ontvangen"  # type: ignore[union-attr]


def test_volgen_full_flow_with_loket_reply(client: TestClient) -> None:
    """An older 16-character meldcode: the server-rendered path, as before."""
    add_key(client)
    add_user(client, "vp.rotterdam")
    sub = submit(client, legacy=True)
    token = csrf_of(client.get("/volgen").text)
    page = client.post("/volgen", data={"meldcode": sub.meldcode, "csrf": token})
    assert page.status_code == 200, page.text
    assert "Ontvangen" in page.text
    # A vertrouwenspersoon has no term: no dates, no law, and what does happen.
    assert "Bevestiging uiterlijk" not in page.text and "Terugkoppeling uiterlijk" not in page.text
    assert "Volgens de wet" not in page.text and "klokkenluiders" not in page.text
    assert "geen vaste termijn" in page.text and "Bron:" in page.text
    assert "Er zijn nog geen berichten" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert sub.meldcode not in page.request.url.path

    # The loket replies through the portal.
    login_token = csrf_of(client.get("/portaal/inloggen").text)
    r = client.post(
        "/portaal/inloggen",
        data={"naam": "vp.rotterdam", "wachtwoord": PASSWORD, "csrf": login_token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    detail = client.get(f"/portaal/melding/{sub.melding_id}")
    assert CANARY in detail.text
    reply = "Dank je. We lezen je melding. <b>niet vet</b>"
    r = client.post(
        f"/portaal/melding/{sub.melding_id}/bericht",
        data={"tekst": reply, "csrf": csrf_of(detail.text)},
    )
    assert r.status_code == 200 and "verstuurd" in r.text

    page = client.post("/volgen", data={"meldcode": sub.meldcode, "csrf": token})
    assert "Dank je. We lezen je melding. &lt;b&gt;niet vet&lt;/b&gt;" in page.text
    token = csrf_of(page.text)
    r = client.post(
        "/volgen/bericht",
        data={"meldcode": sub.meldcode, "csrf": token, "tekst": "Dank je wel <script>x</script>"},
    )
    assert r.status_code == 200 and "Je bericht is verstuurd" in r.text
    assert "<script>x</script>" not in r.text and "&lt;script&gt;x&lt;/script&gt;" in r.text
    r = client.post(
        "/volgen/aanvulling",
        data={"meldcode": sub.meldcode, "csrf": token, "tekst": "Het gebeurde ook op dinsdag."},
    )
    assert "aanvulling is toegevoegd" in r.text and "(aanvulling)" in r.text
    r = client.post("/volgen/intrekken", data={"meldcode": sub.meldcode, "csrf": token})
    assert r.status_code == 422 and "vinkje" in r.text
    r = client.post(
        "/volgen/intrekken", data={"meldcode": sub.meldcode, "csrf": token, "zeker": "ja"}
    )
    assert "Je melding is ingetrokken" in r.text and "Ingetrokken" in r.text
    assert "Verstuur bericht" not in r.text


# --- portal ----------------------------------------------------------------------------


def portal_login(client: TestClient, naam: str) -> None:
    token = csrf_of(client.get("/portaal/inloggen").text)
    r = client.post(
        "/portaal/inloggen",
        data={"naam": naam, "wachtwoord": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/portaal/inbox"
    cookie = r.headers.get_list("set-cookie")
    assert any("mw_portaal=" in c and "HttpOnly" in c and "SameSite=strict" in c for c in cookie)


def test_portal_requires_login(client: TestClient) -> None:
    r = client.get("/portaal/inbox", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/portaal/inloggen"


def test_portal_wrong_password(client: TestClient) -> None:
    add_key(client)
    add_user(client, "vp.rotterdam")
    token = csrf_of(client.get("/portaal/inloggen").text)
    r = client.post(
        "/portaal/inloggen", data={"naam": "vp.rotterdam", "wachtwoord": "fout", "csrf": token}
    )
    assert r.status_code == 401 and "Naam of wachtwoord klopt niet" in r.text


def test_portal_inbox_detail_status_note_and_escaping(client: TestClient) -> None:
    add_key(client)
    add_user(client, "vp.rotterdam", rol="coordinator")
    add_key(client, "vik", "rotterdam")
    sub = submit(client, toestemming=True, identiteit={"naam": "<i>Voorbeeld</i> Persoon"})
    portal_login(client, "vp.rotterdam")
    inbox = client.get("/portaal/inbox")
    assert "pesten" in inbox.text
    assert "Geen termijn" in inbox.text and "klok-geen" in inbox.text  # a VP has no clock
    assert "Wettelijke termijn:" not in inbox.text and "Bevestigen uiterlijk" not in inbox.text
    assert "Ingelogd als" in inbox.text and "vp.rotterdam" in inbox.text

    detail = client.get(f"/portaal/melding/{sub.melding_id}")
    assert CANARY in detail.text
    assert "&lt;i&gt;Voorbeeld&lt;/i&gt; Persoon" in detail.text
    token = csrf_of(detail.text)
    r = client.post(
        f"/portaal/melding/{sub.melding_id}/status", data={"status": "bevestigd", "csrf": token}
    )
    assert "De status is nu: Bevestigd" in r.text
    r = client.post(
        f"/portaal/melding/{sub.melding_id}/notitie",
        data={"tekst": "Interne afspraak <b>x</b>", "csrf": token},
    )
    assert "Interne notitie" in r.text and "Interne afspraak &lt;b&gt;x&lt;/b&gt;" in r.text
    r = client.post(f"/portaal/melding/{sub.melding_id}/notitie", data={"tekst": "zonder csrf"})
    assert r.status_code == 403

    stats = client.get("/portaal/statistiek")
    assert stats.status_code == 200 and "<svg" in stats.text and "Casuïstiekoverzicht" in stats.text
    assert "Ander kwartaal" in stats.text
    csv = client.get("/portaal/statistiek.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")

    r = client.post(
        f"/portaal/melding/{sub.melding_id}/doorsturen",
        data={"loket": "vik", "csrf": token},
    )
    assert r.status_code == 200 and "doorgestuurd" in r.text
    gone = client.get(f"/portaal/melding/{sub.melding_id}")
    assert gone.status_code == 404


def test_portal_logout_clears_session(client: TestClient) -> None:
    add_key(client)
    add_user(client, "vp.rotterdam")
    portal_login(client, "vp.rotterdam")
    inbox = client.get("/portaal/inbox")
    r = client.post(
        "/portaal/uitloggen", data={"csrf": csrf_of(inbox.text)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert client.get("/portaal/inbox", follow_redirects=False).status_code == 303


# --- routeboekje -----------------------------------------------------------------------


def test_routeboekje_has_every_loket_and_the_kernwaarden(client: TestClient) -> None:
    boek = default_routeboekje()
    assert all_codes() == set(boek.loketten)
    html = client.get("/routeboekje/rotterdam").text
    for loket in boek.loketten.values():
        assert loket.naam.replace("&", "&amp;") in html
    for waarde in ("Integer", "Betrouwbaar", "Moedig", "Verbindend"):
        assert waarde in html
    for kop in ("Wat doet dit loket?", "Wanneer ga je hierheen?", "Wat gebeurt er daarna?"):
        assert html.count(kop) == len(boek.loketten) - 1  # noodhulp has its own box
    assert "Anoniem?" in html
    # The per-eenheid rule, said as what it is: a plan of one basisteam.
    assert "Goed om te weten in Rotterdam" in html
    assert "Er is een plan in basisteam Rotterdam Centrum" in html
    # Every loket says what its text rests on (issue #12).
    assert html.count('<p class="bron">Bron: ') >= len(boek.loketten)
    assert "regel 1053, 1413-1435" in html  # the complaints table behind the klachtencommissie
    assert "Keuze van Meldwijzer: Dit zijn voorbeeldgegevens" in html


def test_routeboekje_unknown_eenheid(client: TestClient) -> None:
    assert client.get("/routeboekje/atlantis").status_code == 404
    assert client.get("/routeboekje/atlantis.pdf").status_code == 404


def test_routeboekje_pdf(client: TestClient) -> None:
    r = client.get("/routeboekje/limburg.pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_clock_states_in_colour_and_text_per_kind() -> None:
    from datetime import datetime, timedelta, timezone

    from backend.pages.texts import termijn_klok

    now = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
    base = {
        "status": "ontvangen",
        "termijn_soort": "wet",
        "bevestigd_op": None,
        "teruggekoppeld_op": None,
        "bevestigen_voor": (now - timedelta(days=1)).isoformat(),
        "terugkoppeling_voor": (now + timedelta(days=80)).isoformat(),
    }
    late = termijn_klok(base, now, timedelta(days=2))
    assert (late.staat, late.label, late.termijn) == ("te_laat", "Te laat", "Wettelijke termijn")
    assert "had uiterlijk 25 november 2026 gemoeten" in late.tekst
    soon = termijn_klok(
        {**base, "bevestigen_voor": (now + timedelta(days=1, hours=2)).isoformat()},
        now,
        timedelta(days=2),
    )
    assert soon.staat == "binnenkort" and "binnen 1 dag" in soon.tekst
    feedback = termijn_klok(
        {**base, "status": "bevestigd", "bevestigd_op": now.isoformat()}, now, timedelta(days=2)
    )
    assert feedback.soort == "terugkoppeling" and feedback.staat == "op_tijd"
    assert termijn_klok({**base, "status": "afgerond"}, now, timedelta(days=2)).staat == "klaar"
    # An afspraak with only a feedback term: that one counts, labelled as afspraak.
    afspraak = termijn_klok(
        {**base, "termijn_soort": "afspraak", "bevestigen_voor": None}, now, timedelta(days=2)
    )
    assert (afspraak.soort, afspraak.termijn) == ("terugkoppeling", "Afspraak")
    geen = termijn_klok(
        {**base, "termijn_soort": "geen", "bevestigen_voor": None, "terugkoppeling_voor": None},
        now,
        timedelta(days=2),
    )
    assert (geen.staat, geen.termijn) == ("geen", "Geen termijn")


def _volgen(client: TestClient, meldcode: str) -> str:
    token = csrf_of(client.get("/volgen").text)
    page = client.post("/volgen", data={"meldcode": meldcode, "csrf": token})
    assert page.status_code == 200, page.text
    return page.text


def test_volgen_shows_the_legal_term_only_for_the_meldpunt_misstanden(client: TestClient) -> None:
    add_key(client, "meldpunt_misstanden", "landelijk")
    # The server renders the page for an older meldcode; a current one is shown by the
    # browser from the same status (tests/browser).
    sub = submit(client, loket="meldpunt_misstanden", categorie="misstand", legacy=True)
    page = _volgen(client, sub.meldcode)
    assert "Bevestiging uiterlijk" in page and "Terugkoppeling uiterlijk" in page
    assert page.count("(wettelijke termijn)") == 2
    assert "Wet bescherming klokkenluiders" in page
    assert "Richtlijn (EU) 2019/1937" in page  # the source, under "Bron"


def test_volgen_shows_an_afspraak_as_afspraak(afspraak_client: TestClient) -> None:
    add_key(afspraak_client, "klachtencommissie", "rotterdam")
    # afspraak: feedback in 60 days
    sub = submit(afspraak_client, loket="klachtencommissie", legacy=True)
    page = _volgen(afspraak_client, sub.meldcode)
    assert "Terugkoppeling uiterlijk" in page and "(afspraak)" in page
    assert "Bevestiging uiterlijk" not in page  # this afspraak has no confirmation term
    assert "geen wettelijke termijn" in page and "klokkenluiders" not in page


def test_portal_labels_an_afspraak_and_the_statistics_per_kind(afspraak_client: TestClient) -> None:
    add_key(afspraak_client)
    add_user(afspraak_client, "vp.rotterdam", rol="coordinator")
    sub = submit(afspraak_client)
    portal_login(afspraak_client, "vp.rotterdam")
    inbox = afspraak_client.get("/portaal/inbox")
    assert "Afspraak:" in inbox.text and "klok-op_tijd" in inbox.text
    assert "Bevestigen uiterlijk" in inbox.text
    detail = afspraak_client.get(f"/portaal/melding/{sub.melding_id}")
    assert "Afspraak:" in detail.text and "Terugkoppelen uiterlijk" in detail.text
    # Statistics cover a closed quarter: move the melding there, its deadline still ahead.
    start, _ = grenzen(laatst_afgesloten(utcnow()))
    with database(afspraak_client).session() as session:
        m = session.get(Melding, sub.melding_id)
        assert m is not None
        m.ontvangen_op, m.bevestigen_voor = start + timedelta(days=3), utcnow() + timedelta(days=5)
    stats = afspraak_client.get("/portaal/statistiek")
    assert "Per soort termijn" in stats.text and "Termijnen gehaald" in stats.text
    assert "Afspraak – bevestigen: loopt nog" in stats.text
