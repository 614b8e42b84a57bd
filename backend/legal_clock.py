"""The legal clock of the Wet bescherming klokkenluiders / EU 2019/1937.

A loket confirms receipt within 7 days and gives feedback within 3 months.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

BEVESTIGEN_BINNEN = timedelta(days=7)
TERUGKOPPELING_MAANDEN = 3


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def deadlines(ontvangen_op: datetime) -> tuple[datetime, datetime]:
    """(confirm-before, feedback-before) for a melding received at ``ontvangen_op``."""
    return (
        ontvangen_op + BEVESTIGEN_BINNEN,
        add_months(ontvangen_op, TERUGKOPPELING_MAANDEN),
    )
