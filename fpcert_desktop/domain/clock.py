"""China Standard Time: certificate dates and day boundaries use UTC+8 on every machine."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# China has kept UTC+8 without daylight saving since 1992, so a fixed offset is exact for
# every date the system handles and needs no tz database (absent on Windows by default).
CHINA_TZ = timezone(timedelta(hours=8), "CST")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def china_date(moment: datetime) -> date:
    """Return the calendar date in China of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("china_date needs an aware datetime")
    return moment.astimezone(CHINA_TZ).date()


def china_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the UTC start (inclusive) and end (exclusive) of a China calendar day."""
    start = datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)
