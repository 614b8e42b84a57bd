"""Follow-up texts and buttons (actions/follow_up.py)."""

from __future__ import annotations

from actions.follow_up import berichten_text, status_text, vervolg_buttons
from actions.termijn_tekst import wat_nu

STATUS = {
    "loket": "meldpunt_misstanden",
    "loket_naam": "Landelijk Meldpunt Misstanden",
    "status": "bevestigd",
    "termijn_soort": "wet",
    "ontvangen_op": "2026-11-26T10:00:00+00:00",
    "bevestigen_voor": "2026-12-03T10:00:00+00:00",
    "terugkoppeling_voor": "2027-02-27T09:00:00+00:00",
    "bevestigd_op": "2026-11-27T09:00:00+00:00",
}


def test_status_text_shows_the_legal_dates_as_law() -> None:
    text = status_text(STATUS)
    assert "27 november 2026" in text and "27 februari 2027" in text
    assert "Wet bescherming klokkenluiders" in text


def test_status_text_of_a_route_without_a_term_promises_no_date() -> None:
    text = status_text(
        {
            **STATUS,
            "loket": "vertrouwenspersoon",
            "loket_naam": "Vertrouwenspersoon",
            "status": "ontvangen",
            "termijn_soort": "geen",
            "bevestigen_voor": None,
            "terugkoppeling_voor": None,
            "bevestigd_op": None,
        }
    )
    assert "uiterlijk" not in text.lower() and "wet" not in text.lower()
    assert "geen vaste termijn" in text


def test_status_text_of_an_afspraak_says_afspraak() -> None:
    text = status_text(
        {**STATUS, "termijn_soort": "afspraak", "bevestigen_voor": None, "bevestigd_op": None}
    )
    assert "afspraak" in text and "geen wettelijke termijn" in text
    assert "27 februari 2027" in text


def test_after_sending_the_bot_tells_the_clock_of_the_route() -> None:
    wet = wat_nu("het Landelijk Meldpunt Misstanden", STATUS)
    assert "Wet bescherming klokkenluiders" in wet
    assert "3 december 2026" in wet and "27 februari 2027" in wet
    assert "7 dagen" in wet and "3 maanden" in wet

    geen = wat_nu(
        "de vertrouwenspersoon",
        {"termijn_soort": "geen", "bevestigen_voor": None, "terugkoppeling_voor": None},
    )
    assert "geen vaste termijn" in geen and "meldcode" in geen
    assert "7 dagen" not in geen and "3 maanden" not in geen and "wet" not in geen.lower()

    afspraak = wat_nu(
        "VIK",
        {
            "termijn_soort": "afspraak",
            "bevestigen_voor": "2026-12-01T10:00:00+00:00",
            "terugkoppeling_voor": None,
        },
    )
    assert "afspraak" in afspraak and "geen wettelijke termijn" in afspraak
    assert "1 december 2026" in afspraak and "hoor je wat er" not in afspraak


def test_messages_and_buttons_for_follow_up() -> None:
    text = berichten_text(
        [
            {
                "van": "loket",
                "soort": "bericht",
                "verzonden_op": "2026-11-28T08:00:00",
                "tekst": "Wil je bellen?",
            }
        ]
    )
    assert "Het loket" in text and "Wil je bellen?" in text
    assert any("intrekken" in b["payload"] for b in vervolg_buttons("bevestigd"))
    assert not any("intrekken" in b["payload"] for b in vervolg_buttons("ingetrokken"))
