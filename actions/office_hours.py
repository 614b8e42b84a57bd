"""Whether the melder writes outside office hours (issue 12: after hours).

The lokets of the routeboekje work on working days (their ``openingstijden``); 113
and the huisartsenpost are there day and night. At night or in the weekend the bot
says so when the melder wants to talk and when a melding is sent, so nobody waits
for an answer that cannot come before the next working day. Public holidays are not
known here: on such a day the bot speaks as on a working day.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The widest opening hours in the routeboekje: 8.00 to 17.00, Monday to Friday.
OPENS = 8
CLOSES = 17


def now() -> datetime:
    """The current time in the Netherlands (tests replace this function)."""
    return datetime.now(AMSTERDAM)


def outside_office_hours(moment: datetime | None = None) -> bool:
    moment = (moment or now()).astimezone(AMSTERDAM)
    return moment.weekday() >= 5 or not OPENS <= moment.hour < CLOSES
