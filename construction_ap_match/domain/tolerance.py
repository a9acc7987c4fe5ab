"""Tolerances: how far a bill may go above the purchase order before it is an exception.

The arithmetic is exact (``Decimal``, no rounding): at 5 % of 100.00 a price
of 105.00 passes and 105.01 fails; with 2.00 per unit, 102.00 passes and
102.01 fails.  Only overages count: a price or a quantity below the PO is
never an exception.
"""

from decimal import Decimal

from .normalize import Number, as_decimal
from .rules import MatchRule

_HUNDRED = Decimal(100)


def allowed_over(base: Number, percent: Number, amount: Number) -> Decimal:
    """The variance allowed above ``base``.

    A tolerance of 0 is "not used".  With a percent only, ``|base| * percent / 100``;
    with an amount only, the amount; with both, the *smaller* allowance (both
    limits must hold); with neither, 0 (any overage is an exception).

    >>> allowed_over(100, 5, 0), allowed_over(100, 0, 2), allowed_over(100, 5, 2)
    (Decimal('5'), Decimal('2'), Decimal('2'))
    >>> allowed_over(10, 5, 2)  # 5 % of 10 is the smaller one
    Decimal('0.5')
    >>> allowed_over(100, 0, 0)
    Decimal('0')
    """
    percent = as_decimal(percent)
    amount = as_decimal(amount)
    if percent < 0 or amount < 0:
        raise ValueError("tolerances cannot be negative (%s %%, %s)" % (percent, amount))
    allowances = []
    if percent:
        allowances.append(abs(as_decimal(base)) * percent / _HUNDRED)
    if amount:
        allowances.append(amount)
    return min(allowances, default=Decimal(0))


def _over(base: Decimal, actual: Decimal, allowed: Decimal) -> Decimal | None:
    variance = actual - base
    if variance > 0 and variance > allowed:
        return variance
    return None


def price_breach(expected_unit: Number, actual_unit: Number, rule: MatchRule) -> Decimal | None:
    """``actual_unit - expected_unit`` when the bill's unit price exceeds the PO's
    beyond the rule's price tolerance, else None.

    >>> rule = MatchRule(1, 10, 1, price_tolerance_percent=5)
    >>> price_breach(100, "105.00", rule) is None, price_breach(100, "105.01", rule)
    (True, Decimal('5.01'))
    """
    expected = as_decimal(expected_unit)
    allowed = allowed_over(expected, rule.price_tolerance_percent, rule.price_tolerance_amount)
    return _over(expected, as_decimal(actual_unit), allowed)


def qty_breach(allowed_base: Number, actual: Number, rule: MatchRule) -> Decimal | None:
    """``actual - allowed_base`` when a billed quantity exceeds ``allowed_base``
    (received or ordered) beyond the rule's quantity tolerance, else None.

    >>> rule = MatchRule(1, 10, 1, qty_tolerance_units=2)
    >>> qty_breach(100, 102, rule) is None, qty_breach(100, "102.01", rule)
    (True, Decimal('2.01'))
    """
    base = as_decimal(allowed_base)
    allowed = allowed_over(base, rule.qty_tolerance_percent, rule.qty_tolerance_units)
    return _over(base, as_decimal(actual), allowed)


def total_breach(lines_total: Number, declared: Number, rule: MatchRule) -> Decimal | None:
    """``declared - lines_total`` when the vendor's declared total differs from the
    lines, in either direction, by more than the rule's total tolerance, else None.

    Unlike price and quantity, a lower declared total is a mismatch too: one
    of the two figures is wrong.

    >>> rule = MatchRule(1, 10, 1, total_tolerance_amount="0.05")
    >>> total_breach(100, "100.05", rule) is None, total_breach(100, "99.94", rule)
    (True, Decimal('-0.06'))
    """
    variance = as_decimal(declared) - as_decimal(lines_total)
    if abs(variance) > rule.total_tolerance_amount:
        return variance
    return None
