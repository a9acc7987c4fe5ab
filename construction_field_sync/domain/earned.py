"""Earned budget from installed quantities: pure Python on Decimal, no Odoo import.

A budget line of unit-priced work has a budget quantity (2,000 m2 of slab).
The field records what is installed each day; from the quantity installed to
date:

- percent complete by units = installed / budget quantity x 100
- earned budget = revised budget x installed / budget quantity
  (what the work done is worth at the budget's price; it is not capped, so a
  line that installs more units than budgeted earns more than its budget)
- productivity = earned budget / actual cost (1 means on budget, below 1 the
  work costs more than budgeted)

A line without a budget quantity has no percent and no earned budget, and a
line without actual cost has no productivity: these give ``None`` (no figure),
never a division by zero. The job cost report computes the same per line in
SQL; this module is what code and tests hold it to.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def dec(value) -> Decimal:
    """A Decimal of a float, int, str or Decimal (None and False are 0).

    >>> dec(0.1), dec(None), dec("2.50")
    (Decimal('0.1'), Decimal('0'), Decimal('2.50'))
    """
    if value is None or value is False:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _round(value: Decimal | None, quantum) -> Decimal | None:
    if value is None or quantum is None:
        return value
    return value.quantize(dec(quantum), rounding=ROUND_HALF_UP)


def percent_complete(installed, budget_quantity, rounding="0.01") -> Decimal | None:
    """Installed / budget quantity x 100, or None without a budget quantity.

    >>> percent_complete(800, 2000)
    Decimal('40.00')
    >>> percent_complete(1, 3), percent_complete(1, 3, rounding=None)
    (Decimal('33.33'), Decimal('33.33333333333333333333333333'))
    >>> percent_complete(2200, 2000)   # more than budgeted: over 100
    Decimal('110.00')
    >>> percent_complete(500, 0) is None, percent_complete(500, None) is None
    (True, True)
    """
    quantity = dec(budget_quantity)
    if quantity <= 0:
        return None
    return _round(dec(installed) * HUNDRED / quantity, rounding)


def earned_budget(revised_budget, installed, budget_quantity, rounding="0.01") -> Decimal | None:
    """Revised budget x installed / budget quantity, or None without a budget quantity.

    >>> earned_budget(100000, 800, 2000)
    Decimal('40000.00')
    >>> earned_budget(1000, 1, 3)
    Decimal('333.33')
    >>> earned_budget(100000, 0, 2000)
    Decimal('0.00')
    >>> earned_budget(100000, 800, 0) is None
    True
    """
    quantity = dec(budget_quantity)
    if quantity <= 0:
        return None
    return _round(dec(revised_budget) * dec(installed) / quantity, rounding)


def productivity(earned, actual, rounding="0.01") -> Decimal | None:
    """Earned budget / actual cost, or None when either is missing.

    >>> productivity(40000, 50000)
    Decimal('0.80')
    >>> productivity(Decimal("40000.00"), 30000)
    Decimal('1.33')
    >>> productivity(40000, 0) is None, productivity(None, 50000) is None
    (True, True)
    """
    if earned is None:
        return None
    cost = dec(actual)
    if cost <= 0:
        return None
    return _round(dec(earned) / cost, rounding)


def line_progress(revised_budget, budget_quantity, installed, actual):
    """(percent complete, earned budget, productivity) of one line, each None
    where there is no figure.

    >>> line_progress(100000, 2000, 800, 50000)
    (Decimal('40.00'), Decimal('40000.00'), Decimal('0.80'))
    >>> line_progress(100000, 0, 800, 50000)
    (None, None, None)
    """
    earned = earned_budget(revised_budget, installed, budget_quantity)
    return (
        percent_complete(installed, budget_quantity),
        earned,
        productivity(earned, actual),
    )


_UNIT_SPELLINGS = str.maketrans({"²": "2", "³": "3", " ": "", ".": ""})


def same_unit(sent: str | None, unit_name: str | None) -> bool:
    """Whether the unit a field app sent is the budget line's unit: the same
    name, ignoring case, spaces, dots and superscripts (``m2`` is ``m²``).

    >>> same_unit("m2", "m²"), same_unit("M²", "m²"), same_unit("sq. ft", "sq ft")
    (True, True, True)
    >>> same_unit("m3", "m²"), same_unit("m2", None)
    (False, False)
    """
    if not sent or not unit_name:
        return False
    return sent.translate(_UNIT_SPELLINGS).lower() == unit_name.translate(_UNIT_SPELLINGS).lower()
