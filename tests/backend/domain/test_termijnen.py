"""Deadlines per kind of term: the legal one counts feedback from the confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.domain.termijnen import (
    add_months,
    clock_for,
    legal_feedback_after,
    on_acknowledged,
    on_forwarded,
)
from backend.routing.termijnregels import GEEN, TermijnRegel
from backend.storage.models import Melding

RECEIVED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
WET = TermijnRegel(soort="wet", bronnen=("wet:Richtlijn (EU) 2019/1937, art. 9",))
AFSPRAAK = TermijnRegel(
    soort="afspraak", bevestigen_dagen=5, terugkoppeling_dagen=42, bronnen=("ontwerpkeuze:x",)
)


def melding(regel: TermijnRegel, received: datetime = RECEIVED) -> Melding:
    m = Melding(id="m1", loket="x", ontvangen_op=received, status="ontvangen")
    klok = clock_for(regel, received)
    m.termijn_soort = klok.soort
    m.bevestigen_voor, m.terugkoppeling_voor = klok.bevestigen_voor, klok.terugkoppeling_voor
    return m


def test_legal_term_without_confirmation_is_three_months_after_the_seven_days() -> None:
    klok = clock_for(WET, RECEIVED)
    assert klok.soort == "wet"
    assert klok.bevestigen_voor == datetime(2026, 1, 17, 9, 0, tzinfo=UTC)
    assert klok.terugkoppeling_voor == datetime(2026, 4, 17, 9, 0, tzinfo=UTC)


def test_legal_feedback_counts_from_the_confirmation() -> None:
    m = melding(WET)
    m.bevestigd_op = RECEIVED + timedelta(days=2)  # 12 January
    on_acknowledged(m)
    assert m.terugkoppeling_voor == datetime(2026, 4, 12, 9, 0, tzinfo=UTC)


def test_a_late_confirmation_never_moves_feedback_later() -> None:
    m = melding(WET)
    m.bevestigd_op = RECEIVED + timedelta(days=12)  # after the 7 days
    on_acknowledged(m)
    assert m.terugkoppeling_voor == datetime(2026, 4, 17, 9, 0, tzinfo=UTC)
    assert legal_feedback_after(RECEIVED + timedelta(days=7), None) == m.terugkoppeling_voor


def test_month_end_is_clipped() -> None:
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)


def test_afspraak_counts_days_from_receipt_and_is_not_moved_by_a_confirmation() -> None:
    m = melding(AFSPRAAK)
    assert (m.termijn_soort, m.bevestigen_voor, m.terugkoppeling_voor) == (
        "afspraak",
        RECEIVED + timedelta(days=5),
        RECEIVED + timedelta(days=42),
    )
    m.bevestigd_op = RECEIVED + timedelta(days=1)
    on_acknowledged(m)
    assert m.terugkoppeling_voor == RECEIVED + timedelta(days=42)
    only_feedback = TermijnRegel(
        soort="afspraak", terugkoppeling_dagen=60, bronnen=("ontwerpkeuze:x",)
    )
    assert clock_for(only_feedback, RECEIVED).bevestigen_voor is None


def test_geen_has_no_deadlines() -> None:
    assert clock_for(GEEN, RECEIVED).__dict__ == {
        "soort": "geen",
        "bevestigen_voor": None,
        "terugkoppeling_voor": None,
    }


def test_forwarding_keeps_the_legal_term_and_restarts_others() -> None:
    later = RECEIVED + timedelta(days=20)
    wet = melding(WET)
    wet.bevestigd_op = RECEIVED + timedelta(days=1)
    on_acknowledged(wet)
    before = (wet.bevestigen_voor, wet.terugkoppeling_voor, wet.bevestigd_op)
    on_forwarded(wet, GEEN, later)
    assert wet.termijn_soort == "wet"
    assert (wet.bevestigen_voor, wet.terugkoppeling_voor, wet.bevestigd_op) == before

    geen = melding(GEEN)
    geen.bevestigd_op = RECEIVED + timedelta(days=1)
    on_forwarded(geen, WET, later)
    assert geen.termijn_soort == "wet" and geen.bevestigd_op is None
    assert geen.bevestigen_voor == later + timedelta(days=7)

    afspraak = melding(AFSPRAAK)
    afspraak.bevestigd_op = RECEIVED + timedelta(days=1)
    on_forwarded(afspraak, GEEN, later)
    assert (afspraak.termijn_soort, afspraak.bevestigen_voor) == ("geen", None)
    assert afspraak.bevestigd_op is not None  # a past fact; no new term to meet
