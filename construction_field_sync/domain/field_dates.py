"""Dates that field records may carry: not in the future.

A crew in a time zone ahead of the server records "today" while the server,
in UTC, is still on yesterday. A date is therefore refused only when it is
in the future everywhere: after today in the easternmost time zone (UTC+14).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# The easternmost time zone (Line Islands).
EASTERNMOST = timedelta(hours=14)


def latest_today(now: datetime) -> date:
    """Today's date in the easternmost time zone at ``now`` (naive = UTC).

    >>> latest_today(datetime(2026, 11, 20, 9, 59)), latest_today(datetime(2026, 11, 20, 10))
    (datetime.date(2026, 11, 20), datetime.date(2026, 11, 21))
    """
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    return (now + EASTERNMOST).date()


def future_date_error(day: date | None, now: datetime) -> str | None:
    """Why ``day`` is refused (in the future), or None.

    >>> now = datetime(2026, 11, 20, 8)
    >>> future_date_error(date(2026, 11, 20), now) is None
    True
    >>> future_date_error(date(2026, 11, 22), now)
    'date 2026-11-22 is in the future (today is 2026-11-20); record work once it is done'
    """
    if day is None or day <= latest_today(now):
        return None
    today = now.date() if now.tzinfo is None else now.astimezone(timezone.utc).date()
    return (
        f"date {day.isoformat()} is in the future (today is {today.isoformat()}); "
        "record work once it is done"
    )
