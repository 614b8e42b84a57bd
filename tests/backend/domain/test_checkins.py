"""Which check-in is open when: 1, 3 and 6 months after the melding (docs/checkin.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.domain.checkins import LAATSTE_OPEN, momenten, open_moment, volgend_moment

ONTVANGEN = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)


def test_three_moments_after_one_three_and_six_months_clamped_to_the_month_end() -> None:
    assert [(m.maanden, m.vanaf) for m in momenten(ONTVANGEN)] == [
        (1, datetime(2026, 2, 28, 9, 30, tzinfo=UTC)),
        (3, datetime(2026, 4, 30, 9, 30, tzinfo=UTC)),
        (6, datetime(2026, 7, 31, 9, 30, tzinfo=UTC)),
    ]


def test_each_check_in_is_open_until_the_next_and_the_last_for_sixty_days() -> None:
    def open_at(moment: datetime) -> int | None:
        found = open_moment(ONTVANGEN, moment)
        return None if found is None else found.maanden

    second = timedelta(seconds=1)
    een, drie, zes = (m.vanaf for m in momenten(ONTVANGEN))
    assert open_at(ONTVANGEN) is None
    assert open_at(een - second) is None
    assert open_at(een) == 1
    assert open_at(drie - second) == 1
    assert open_at(drie) == 3
    assert open_at(zes - second) == 3
    assert open_at(zes) == 6
    assert open_at(zes + LAATSTE_OPEN - second) == 6
    assert open_at(zes + LAATSTE_OPEN) is None


def test_next_moment_and_naive_database_datetimes() -> None:
    naive = ONTVANGEN.replace(tzinfo=None)  # SQLite returns naive UTC
    nu = datetime(2026, 3, 10, tzinfo=UTC)
    volgend = volgend_moment(naive, nu)
    assert volgend is not None and volgend.maanden == 3
    assert volgend_moment(naive, datetime(2026, 8, 1, tzinfo=UTC)) is None
