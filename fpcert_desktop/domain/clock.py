"""China Standard Time: certificate dates and day boundaries use UTC+8 on every machine."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# China has kept UTC+8 without daylight saving since 1992, so a fixed offset is exact for
# every date the system handles and needs no tz database (absent on Windows by default).
CHINA_TZ = timezone(timedelta(hours=8), "CST")

# The China days whose start and end ``datetime`` can express in UTC: 0001-01-01 starts
# before UTC year 1, and 9999-12-31 ends after UTC year 9999.
FIRST_BOUNDED_DAY = date(1, 1, 2)
LAST_BOUNDED_DAY = date(9999, 12, 30)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def china_date(moment: datetime) -> date:
    """Return the calendar date in China of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("china_date needs an aware datetime")
    return moment.astimezone(CHINA_TZ).date()


def china_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the UTC start (inclusive) and end (exclusive) of a China calendar day.

    Raises ``ValueError`` for a day before ``FIRST_BOUNDED_DAY`` or after ``LAST_BOUNDED_DAY``.
    """
    if not FIRST_BOUNDED_DAY <= day <= LAST_BOUNDED_DAY:
        raise ValueError(
            f"{day.isoformat()} is outside {FIRST_BOUNDED_DAY.isoformat()} to "
            f"{LAST_BOUNDED_DAY.isoformat()}, the China days with UTC bounds"
        )
    start = datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)
