"""Working days: weekends and the country's public holidays (the `holidays` package) do not count.

Dates are local dates in the portal's time zone (Asia/Almaty by default), so a request submitted
at 00:30 in Almaty belongs to that Almaty day, whatever the UTC date is.
"""

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone

_ONE_DAY = timedelta(days=1)


@cache
def _public_holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def is_working_day(day: date) -> bool:
    """Monday to Friday, or a weekend day declared a working day (when a holiday is moved), and not
    a public holiday (nor a day off a holiday was moved to)."""
    calendar = _public_holidays(settings.HOLIDAYS_COUNTRY, day.year)
    return (day.weekday() < 5 or day in calendar.weekend_workdays) and day not in calendar


def local_date(moment: datetime) -> date:
    """The date of `moment` in the portal's time zone."""
    return timezone.localdate(moment)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; `start` itself is never counted."""
    day = start
    remaining = days
    while remaining > 0:
        day += _ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """The working days after `start`, up to and including `end`; 0 when `end` is not later."""
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        count += is_working_day(day)
        day += _ONE_DAY
    return count
