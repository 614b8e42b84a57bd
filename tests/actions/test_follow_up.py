"""Follow-up texts and buttons (actions/follow_up.py)."""

from __future__ import annotations

from actions.follow_up import berichten_text, status_text, vervolg_buttons


def test_status_text_shows_both_legal_dates() -> None:
    text = status_text(
        {
            "loket": "vik",
            "loket_naam": "VIK",
            "status": "bevestigd",
            "ontvangen_op": "2026-11-26T10:00:00+00:00",
            "bevestigen_voor": "2026-12-03T10:00:00+00:00",
            "terugkoppeling_voor": "2027-02-26T10:00:00+00:00",
            "bevestigd_op": "2026-11-27T09:00:00+00:00",
        }
    )
    assert "27 november 2026" in text and "26 februari 2027" in text


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
