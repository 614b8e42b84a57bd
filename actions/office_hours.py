"""Whether the melder writes outside office hours (issue 12: after hours).

The lokets of the routeboekje work on working days (their ``openingstijden``); 113
and the huisartsenpost are there day and night. At night, in the weekend or on a
public holiday the bot says so when the melder wants to talk and when a melding is
sent, so nobody waits for an answer that cannot come before the next working day.

The public holidays are those of the Algemene termijnenwet, art. 3 lid 1: Nieuwjaarsdag,
tweede Paas- en Pinksterdag, both Kerstdagen, Hemelvaartsdag, Koningsdag and 5 May
(Sundays already count as closed). Goede Vrijdag is not among them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The widest opening hours in the routeboekje: 8.00 to 17.00, Monday to Friday.
OPENS = 8
CLOSES = 17


def now() -> datetime:
    """The current time in the Netherlands (tests replace this function)."""
    return datetime.now(AMSTERDAM)


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (Meeus/Jones/Butcher algorithm)."""
    golden = year % 19
    century, rest = divmod(year, 100)
    leap_c, leap_c_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_c - moon + 15) % 30
    leap_y, leap_y_rest = divmod(rest, 4)
    weekday = (32 + 2 * leap_c_rest + 2 * leap_y - epact - leap_y_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The general public holidays of the Algemene termijnenwet, art. 3 lid 1."""
    easter = easter_sunday(year)
    koningsdag = date(year, 4, 27)
    if koningsdag.weekday() == 6:  # on a Sunday it is celebrated the day before
        koningsdag = date(year, 4, 26)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),  # tweede Paasdag
            koningsdag,
            date(year, 5, 5),
            easter + timedelta(days=39),  # Hemelvaartsdag
            easter + timedelta(days=50),  # tweede Pinksterdag
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def outside_office_hours(moment: datetime | None = None) -> bool:
    moment = (moment or now()).astimezone(AMSTERDAM)
    if moment.weekday() >= 5 or moment.date() in public_holidays(moment.year):
        return True
    return not OPENS <= moment.hour < CLOSES
