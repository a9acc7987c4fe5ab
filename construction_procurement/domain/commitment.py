"""Commitment arithmetic of a purchase order line, in the order's currency.

Committed is what a confirmed order binds the company to (net of
cancellations and change orders, which change the line itself); received and
billed are valued at the line's unit price; the open commitment is what is
ordered and not yet billed.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

COMMITTED_STATES = frozenset({"purchase", "done"})


@dataclass(frozen=True)
class Commitment:
    committed: Decimal
    received: Decimal
    billed: Decimal

    @property
    def open(self) -> Decimal:
        """Ordered and not yet billed; never negative (over-billing is AP's business)."""
        return max(self.committed - self.billed, Decimal(0))


def _money(value, rounding: Decimal) -> Decimal:
    return Decimal(str(value)).quantize(rounding, rounding=ROUND_HALF_UP)


def line_commitment(
    state, subtotal, price_unit, qty_ordered, qty_received, qty_billed, rounding="0.01"
):
    """Commitment figures of one line.

    ``subtotal`` is the line's untaxed amount (quantity x net price); received
    and billed are valued at the same net unit price, so that a fully received
    and billed line has no open commitment left.

    >>> c = line_commitment("purchase", 1000, 10, 100, 40, 25)
    >>> (c.committed, c.received, c.billed, c.open)
    (Decimal('1000.00'), Decimal('400.00'), Decimal('250.00'), Decimal('750.00'))
    >>> line_commitment("cancel", 1000, 10, 100, 0, 0).committed
    Decimal('0.00')
    """
    rounding = Decimal(rounding)
    if state not in COMMITTED_STATES:
        zero = _money(0, rounding)
        return Commitment(zero, zero, zero)
    net_unit = (
        Decimal(str(subtotal)) / Decimal(str(qty_ordered))
        if qty_ordered
        else Decimal(str(price_unit))
    )
    return Commitment(
        committed=_money(subtotal, rounding),
        received=_money(net_unit * Decimal(str(qty_received)), rounding),
        billed=_money(net_unit * Decimal(str(qty_billed)), rounding),
    )


def progress_quantity(ordered, quantity=None, percent=None):
    """Quantity of a progress receipt given as a quantity or a percent of the line.

    >>> progress_quantity(200, percent=25)
    50.0
    >>> progress_quantity(200, quantity=30)
    30.0
    """
    if percent is not None and quantity is not None:
        raise ValueError("give a quantity or a percent, not both")
    if percent is not None:
        return float(ordered) * float(percent) / 100.0
    if quantity is None:
        raise ValueError("give a quantity or a percent")
    return float(quantity)


def over_receipt(ordered, received, tolerance_percent):
    """How much ``received`` exceeds what the tolerance allows (0 when within).

    >>> over_receipt(100, 105, 5)
    0.0
    >>> over_receipt(100, 106, 5)
    1.0
    """
    allowed = float(ordered) * (1 + float(tolerance_percent) / 100.0)
    return round(max(float(received) - allowed, 0.0), 6)
