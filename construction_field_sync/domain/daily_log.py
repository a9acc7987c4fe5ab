"""Pure rules of daily logs: their name, ISO weeks, manpower totals, and the
readable summary of a change from the field that waits for the approver.

No Odoo imports: the model and the reports read records, call these, and
show the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal


def log_name(job_code: str | None, day: date | None, author: str | None) -> str:
    """The name of a daily log: job code, date, author (who may be unknown).

    >>> log_name("J-9001", date(2026, 11, 20), "Ana")
    'J-9001 2026-11-20 Ana'
    >>> log_name("J-9001", date(2026, 11, 20), None)
    'J-9001 2026-11-20'
    >>> log_name(None, None, None)
    ''
    """
    parts = [job_code or "", day.isoformat() if day else "", author or ""]
    return " ".join(part for part in parts if part)


def temperature_problem(low, high) -> str | None:
    """Why a day's low and high temperatures do not fit, or None.

    An empty temperature field reads as 0, so a temperature of exactly 0 is
    not compared (it may be a field left empty).

    >>> temperature_problem(-2, 7) is None, temperature_problem(12, 12) is None
    (True, True)
    >>> temperature_problem(14, 9)
    'the low temperature 14 is above the high temperature 9'
    >>> temperature_problem(5, 0) is None, temperature_problem(None, -3) is None
    (True, True)
    """
    if not low or not high or low <= high:
        return None
    return f"the low temperature {low:g} is above the high temperature {high:g}"


# ----------------------------------------------------------------------
# ISO weeks
# ----------------------------------------------------------------------


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week) of a date; the ISO year differs from the calendar
    year around the new year.

    >>> iso_week(date(2026, 11, 20))
    (2026, 47)
    >>> iso_week(date(2027, 1, 1))
    (2026, 53)
    >>> iso_week(date(2024, 12, 30))
    (2025, 1)
    """
    year, week, _weekday = day.isocalendar()
    return year, week


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week of ``day``.

    >>> week_bounds(date(2026, 11, 20))
    (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    >>> week_bounds(date(2026, 11, 16))[0] == date(2026, 11, 16)
    True
    """
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_label(day: date) -> str:
    """The ISO week of ``day`` as people write it.

    >>> week_label(date(2026, 11, 20))
    '2026-W47'
    >>> week_label(date(2027, 1, 1))
    '2026-W53'
    """
    year, week = iso_week(day)
    return f"{year}-W{week:02d}"


def week_days(day: date) -> list[date]:
    """The seven days, Monday first, of the ISO week of ``day``.

    >>> [d.day for d in week_days(date(2026, 11, 20))]
    [16, 17, 18, 19, 20, 21, 22]
    """
    monday, _sunday = week_bounds(day)
    return [monday + timedelta(days=offset) for offset in range(7)]


# ----------------------------------------------------------------------
# Manpower
# ----------------------------------------------------------------------


def man_hours(headcount: int | float, hours: float | Decimal) -> Decimal:
    """Total hours of a manpower line: people x hours each, to the hundredth.

    >>> man_hours(5, 8)
    Decimal('40.00')
    >>> man_hours(3, Decimal("7.5"))
    Decimal('22.50')
    >>> man_hours(0, 8)
    Decimal('0.00')
    """
    total = Decimal(str(headcount or 0)) * Decimal(str(hours or 0))
    return total.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ManpowerLine:
    """One manpower line as the totals see it."""

    day: date
    trade: str
    subcontractor: str | None
    headcount: int
    hours: Decimal


@dataclass
class ManpowerTotal:
    trade: str
    subcontractor: str | None
    headcount: int = 0
    hours: Decimal = Decimal("0.00")
    days: int = 0


@dataclass
class WeekTotals:
    """Manpower of a week: per trade and subcontractor, per day, and in all."""

    by_trade: list[ManpowerTotal] = field(default_factory=list)
    by_day: dict[date, tuple[int, Decimal]] = field(default_factory=dict)
    headcount: int = 0
    hours: Decimal = Decimal("0.00")


def week_totals(lines: Iterable[ManpowerLine], days: Iterable[date]) -> WeekTotals:
    """Sum manpower lines over a week.

    ``headcount`` of a trade is the sum of its daily headcounts (person-days),
    ``days`` the number of days it was on site; every day of ``days`` appears
    in ``by_day``, with zeros when nobody was reported. Trades are sorted by
    name, then subcontractor.

    >>> monday = date(2026, 11, 16)
    >>> lines = [
    ...     ManpowerLine(monday, "Carpenters", None, 5, Decimal(8)),
    ...     ManpowerLine(monday, "Ironworkers", "Northline", 3, Decimal(8)),
    ...     ManpowerLine(monday + timedelta(days=1), "Carpenters", None, 4, Decimal("7.5")),
    ... ]
    >>> totals = week_totals(lines, week_days(monday))
    >>> for t in totals.by_trade:
    ...     print(t.trade, t.subcontractor, t.headcount, t.hours, t.days)
    Carpenters None 9 70.00 2
    Ironworkers Northline 3 24.00 1
    >>> totals.by_day[monday], totals.by_day[monday + timedelta(days=2)]
    ((8, Decimal('64.00')), (0, Decimal('0.00')))
    >>> totals.headcount, totals.hours
    (12, Decimal('94.00'))
    """
    trades: dict[tuple[str, str | None], ManpowerTotal] = {}
    trade_days: dict[tuple[str, str | None], set[date]] = {}
    by_day = {day: (0, Decimal("0.00")) for day in days}
    result = WeekTotals(by_day=by_day)
    for line in lines:
        key = (line.trade, line.subcontractor or None)
        total = trades.setdefault(key, ManpowerTotal(trade=key[0], subcontractor=key[1]))
        hours = man_hours(line.headcount, line.hours)
        total.headcount += line.headcount or 0
        total.hours += hours
        if line.headcount:
            trade_days.setdefault(key, set()).add(line.day)
        count, day_hours = by_day.get(line.day, (0, Decimal("0.00")))
        by_day[line.day] = (count + (line.headcount or 0), day_hours + hours)
        result.headcount += line.headcount or 0
        result.hours += hours
    for key, total in trades.items():
        total.days = len(trade_days.get(key, ()))
    result.by_trade = sorted(
        trades.values(), key=lambda t: (t.trade.lower(), t.subcontractor or "")
    )
    return result


# ----------------------------------------------------------------------
# Amendments: what a change from the field would change
# ----------------------------------------------------------------------


def _shown(value) -> str:
    if value is None or value is False or value == "" or value == []:
        return "-"
    if isinstance(value, float | Decimal):
        return f"{value:g}" if isinstance(value, float) else str(value.normalize())
    if isinstance(value, list | tuple):
        return "; ".join(_shown(item) for item in value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def changes(
    before: Mapping[str, object], after: Mapping[str, object], labels: Mapping[str, str]
) -> list[str]:
    """Readable lines "Label: old -> new" for each key of ``after`` whose value
    differs from ``before``, in the order of ``labels``.

    >>> changes(
    ...     {"conditions": "Rain", "high": 12.0, "notes": "x"},
    ...     {"conditions": "Sunny", "high": 12.0, "crew": ["Carpenters: 5 x 8 h"]},
    ...     {"conditions": "Weather", "high": "High", "crew": "Manpower", "notes": "Notes"},
    ... )
    ['Weather: Rain -> Sunny', 'Manpower: - -> Carpenters: 5 x 8 h']
    """
    lines = []
    for key, label in labels.items():
        if key not in after:
            continue
        old, new = before.get(key), after[key]
        if _normal(old) == _normal(new):
            continue
        lines.append(f"{label}: {_shown(old)} -> {_shown(new)}")
    return lines


def _normal(value):
    if value in (None, False, "", []):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, list | tuple):
        return [_normal(item) for item in value]
    return value
