"""Retention arithmetic: what a bill withholds and what a release may release.

Pure Python (``Decimal``), no database: the models read the figures, call
these functions and write the result.

Amounts are positive numbers on both sides: *held* is what was withheld,
*released* what was paid out again, *open* = held - released.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Why a release is refused (the model turns them into messages).
RELEASE_NOT_POSITIVE = "not_positive"
RELEASE_OVER_OPEN = "over_open"
RELEASE_FINAL_NOT_COMPLETE = "final_not_complete"


def as_decimal(value) -> Decimal:
    """A Decimal of ``value`` (float, int, str or Decimal; None is 0), through str
    so that 0.1 is 0.1."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value or 0))


def quantum(digits: int) -> Decimal:
    """The smallest amount of a currency with ``digits`` decimals: 2 -> 0.01."""
    return Decimal(1).scaleb(-digits)


def round_amount(amount, digits: int) -> Decimal:
    """``amount`` rounded half up to ``digits`` decimals (a currency's)."""
    return as_decimal(amount).quantize(quantum(digits), rounding=ROUND_HALF_UP)


def retention_amount(billed, percent, digits: int) -> Decimal:
    """What a bill withholds: ``percent`` of the billed work, rounded to the currency.

    >>> retention_amount(100000, 10, 2)
    Decimal('10000.00')
    >>> retention_amount("333.33", "7.5", 2)
    Decimal('25.00')
    >>> retention_amount(-500, 10, 2)  # a credit withholds nothing
    Decimal('0.00')
    """
    percent = as_decimal(percent)
    if not ZERO <= percent <= HUNDRED:
        raise ValueError("retention %s%% is outside 0-100" % percent)
    billed = as_decimal(billed)
    if billed <= 0 or not percent:
        return round_amount(ZERO, digits)
    return round_amount(billed * percent / HUNDRED, digits)


@dataclass(frozen=True)
class ReleaseCheck:
    """The outcome of :func:`check_release`.

    ``available`` is what may still be released (posted open less the drafts
    of other releases), ``final`` whether this release leaves nothing open,
    ``problem`` one of the ``RELEASE_*`` reasons or None when it may go.
    """

    amount: Decimal
    available: Decimal
    final: bool
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_release(amount, open_amount, pending, digits: int, complete: bool = True):
    """May ``amount`` be released from ``open_amount`` when ``pending`` is already
    on draft releases?

    All three are rounded to the currency first. A release that leaves nothing
    open is the *final* one: it needs ``complete`` (the work accepted).

    >>> check_release(12000, 25000, 0, 2, complete=False).problem is None
    True
    >>> check_release(13000, 25000, 12000, 2, complete=False).problem
    'final_not_complete'
    >>> check_release(13000.01, 25000, 12000, 2).problem
    'over_open'
    >>> check_release(0, 25000, 0, 2).problem
    'not_positive'
    """
    amount = round_amount(amount, digits)
    available = round_amount(as_decimal(open_amount) - as_decimal(pending), digits)
    final = amount >= available
    if amount <= 0:
        problem = RELEASE_NOT_POSITIVE
    elif amount > available:
        problem = RELEASE_OVER_OPEN
    elif final and not complete:
        problem = RELEASE_FINAL_NOT_COMPLETE
    else:
        problem = None
    return ReleaseCheck(amount, available, final, problem)


def retention_changes(current, wanted):
    """How to bring a bill's retention lines from ``current`` to ``wanted``.

    ``current``: {key: (line id, amount)} of the retention lines there;
    ``wanted``: {key: amount} of what they should hold (0 or less: no line).
    Returns (to create {key: amount}, to update {line id: amount}, to delete
    [line id]), leaving lines already right alone.

    >>> retention_changes({7: (1, Decimal("10.00"))}, {7: Decimal("15.00"), 8: Decimal("2")})
    ({8: Decimal('2')}, {1: Decimal('15.00')}, [])
    >>> retention_changes({7: (1, Decimal("10.00"))}, {7: Decimal("0")})
    ({}, {}, [1])
    """
    create, update, delete = {}, {}, []
    for key, amount in wanted.items():
        amount = as_decimal(amount)
        if key in current:
            line_id, there = current[key]
            if amount <= 0:
                delete.append(line_id)
            elif as_decimal(there) != amount:
                update[line_id] = amount
        elif amount > 0:
            create[key] = amount
    delete.extend(line_id for key, (line_id, _amount) in current.items() if key not in wanted)
    return create, update, delete
