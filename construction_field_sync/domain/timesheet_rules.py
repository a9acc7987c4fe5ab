"""Limits that catch field mistakes in crew time.

Two rules, checked on every person of every entry before anything is stored:

- the hours of one employee on one day, across every job, may not exceed
  the company's daily limit (16 h unless configured). What counts is what is
  stored already (lines that are neither rejected nor withdrawn, plain
  timesheets included) plus the entries of the same batch, taken in order;
- time may not be dated after today where the employee works.

What happens to an entry that breaks one is the company's choice: ``refuse``
(the whole entry is refused, and its hours do not count for the entries
after it) or ``hold`` (the entry is stored, its offending lines carry the
reason for the supervisor, who must confirm it when approving).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DAILY_LIMIT = Decimal(16)
REFUSE = "refuse"
HOLD = "hold"
LIMIT_ACTIONS = (REFUSE, HOLD)

DAILY_LIMIT = "daily_limit"
FUTURE_DATE = "future_date"


def local_today(now: datetime, tz: str | None) -> date:
    """Today's date in the time zone ``tz`` (UTC when unknown) at the UTC moment ``now``.

    >>> noon_utc = datetime(2026, 11, 20, 23, 30)
    >>> local_today(noon_utc, "UTC"), local_today(noon_utc, "Australia/Sydney")
    (datetime.date(2026, 11, 20), datetime.date(2026, 11, 21))
    >>> local_today(noon_utc, "America/Denver"), local_today(noon_utc, "Nowhere/Else")
    (datetime.date(2026, 11, 20), datetime.date(2026, 11, 20))
    """
    moment = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    try:
        zone = ZoneInfo(tz) if tz else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    return moment.astimezone(zone).date()


def _hours(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


@dataclass(frozen=True)
class TimeEntry:
    """The hours of one person in one entry, as the rules see them."""

    employee: Hashable
    name: str
    day: date
    hours: Decimal
    today: date
    field: str = "payload.hours"
    date_field: str = "payload.date"


@dataclass(frozen=True)
class Breach:
    """One limit one person breaks; ``field`` is the payload field to name."""

    kind: str
    field: str
    employee: str
    day: date
    hours: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    limit: Decimal = Decimal(0)
    today: date | None = None

    @property
    def already(self) -> Decimal:
        """Hours recorded that day before this entry."""
        return self.total - self.hours

    def message(self) -> str:
        """The reason in plain words (the API's error; the UI translates its own).

        >>> text = Breach(DAILY_LIMIT, "payload.hours", "Ana", date(2026, 11, 20), Decimal(8),
        ...               Decimal(18), Decimal(16)).message()
        >>> print(text.replace("): ", "):\\n"))
        Ana would have 18.00 h on 2026-11-20 (10.00 h already recorded, 8.00 h in this entry):
        over the daily limit of 16.00 h.
        >>> Breach(FUTURE_DATE, "payload.date", "Ana", date(2026, 11, 22),
        ...        today=date(2026, 11, 20)).message()
        'Time of Ana is dated 2026-11-22, after today (2026-11-20).'
        """
        if self.kind == FUTURE_DATE:
            return (
                f"Time of {self.employee} is dated {self.day.isoformat()}, after today "
                f"({self.today.isoformat() if self.today else '?'})."
            )
        return (
            f"{self.employee} would have {_hours(self.total)} h on {self.day.isoformat()} "
            f"({_hours(self.already)} h already recorded, {_hours(self.hours)} h in this entry): "
            f"over the daily limit of {_hours(self.limit)} h."
        )


@dataclass
class Verdict:
    """What the rules say of one entry: refused, and the breaches per person
    (index of the person in the entry)."""

    refused: bool = False
    breaches: dict[int, list[Breach]] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return bool(self.breaches) and not self.refused

    def all_breaches(self) -> list[Breach]:
        return [breach for index in sorted(self.breaches) for breach in self.breaches[index]]


def check_entries(
    entries: Sequence[Sequence[TimeEntry]],
    stored: Mapping[tuple[Hashable, date], Decimal],
    limit: Decimal = DEFAULT_DAILY_LIMIT,
    action: str = REFUSE,
) -> list[Verdict]:
    """One verdict per entry (a list of people), in order.

    ``stored`` holds the hours already recorded per (employee, day) that still
    count; the entries are taken one after the other, so the batch's own
    entries count for the ones after them, unless they are refused.

    >>> today = date(2026, 11, 20)
    >>> def ana(hours, field="payload.hours", day=today):
    ...     return TimeEntry(1, "Ana", day, Decimal(hours), today, field)
    >>> verdicts = check_entries([[ana(8)], [ana(6)], [ana(4)], [ana(2)]], {(1, today): Decimal(0)})
    >>> [v.refused for v in verdicts]
    [False, False, True, False]
    >>> verdicts[2].all_breaches()[0].total
    Decimal('18')

    Stored hours count; a crew entry with one person over the limit is refused whole:

    >>> ben = TimeEntry(2, "Ben", today, Decimal(8), today, "payload.employees.0.hours")
    >>> crew = [ben, ana(8, "payload.employees.1.hours")]
    >>> verdict = check_entries([crew], {(1, today): Decimal(9)})[0]
    >>> verdict.refused, [b.field for b in verdict.all_breaches()]
    (True, ['payload.employees.1.hours'])

    Held instead: stored, with the reason on the person who breaks the limit:

    >>> verdict = check_entries([crew], {(1, today): Decimal(9)}, action=HOLD)[0]
    >>> verdict.refused, verdict.held, sorted(verdict.breaches)
    (False, True, [1])

    A date after today:

    >>> verdict = check_entries([[ana(4, day=date(2026, 11, 22))]], {})[0]
    >>> verdict.refused, verdict.all_breaches()[0].field
    (True, 'payload.date')
    """
    limit = Decimal(limit)
    running: defaultdict[tuple[Hashable, date], Decimal] = defaultdict(Decimal)
    for key, hours in stored.items():
        running[key] += Decimal(hours)
    verdicts = []
    for people in entries:
        added: defaultdict[tuple[Hashable, date], Decimal] = defaultdict(Decimal)
        breaches: dict[int, list[Breach]] = {}
        for index, entry in enumerate(people):
            found = []
            if entry.day > entry.today:
                found.append(
                    Breach(FUTURE_DATE, entry.date_field, entry.name, entry.day, today=entry.today)
                )
            key = (entry.employee, entry.day)
            hours = Decimal(entry.hours)
            total = running[key] + added[key] + hours
            if total > limit:
                found.append(
                    Breach(DAILY_LIMIT, entry.field, entry.name, entry.day, hours, total, limit)
                )
            added[key] += hours
            if found:
                breaches[index] = found
        refused = bool(breaches) and action != HOLD
        if not refused:
            for key, hours in added.items():
                running[key] += hours
        verdicts.append(Verdict(refused=refused, breaches=breaches))
    return verdicts
