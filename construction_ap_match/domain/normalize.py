"""Inputs made comparable: numbers, invoice numbers, units of measure and currencies.

Everything the engine compares goes through here first, so that a float read
from the ORM, a vendor's "INV-000123" and a price per box of 12 all reach the
comparison in one form: a ``Decimal``, ``"inv123"``, a price per PO unit in
the PO's currency.
"""

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

Number = Decimal | float | int | str
"""What the helpers accept as a number: ORM floats and integers, Decimals, numeric strings."""

_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015\u2212/\\._]+")
_DIGIT_RUN_RE = re.compile(r"[0-9]+")

# A float carries 15 to 17 significant digits; a unit factor such as 1/12 is
# stored as one.  Results are rounded to 15 significant digits so that the
# representation error of the factor does not survive the conversion.
_FLOAT_DIGITS = Context(prec=15, rounding=ROUND_HALF_EVEN)


def as_decimal(value: Number | None) -> Decimal:
    """``value`` as an exact ``Decimal``; ``None`` and ``False`` (an empty ORM field) are 0.

    Floats go through their shortest representation, so ``0.1`` is ``0.1``
    and not ``0.1000000000000000055511151231257827``.

    >>> as_decimal(0.1)
    Decimal('0.1')
    >>> as_decimal(False)
    Decimal('0')
    >>> as_decimal(" 12.50 ")
    Decimal('12.50')
    """
    if isinstance(value, Decimal):
        result = value
    elif value is None or value is False:
        return Decimal(0)
    elif isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        result = Decimal(value.strip())
    else:
        raise TypeError("cannot use %r as a number" % (value,))
    if not result.is_finite():
        raise ValueError("%s is not a finite number" % value)
    return result


def optional_decimal(value: Number | None) -> Decimal | None:
    """Like :func:`as_decimal`, but ``None`` stays ``None`` (a figure that is not given)."""
    return None if value is None else as_decimal(value)


def normalize_invoice_number(number: str | None) -> str:
    """The form of a vendor's invoice number under which two spellings compare equal.

    Lower case; spaces, dashes, slashes, dots and underscores removed; leading
    zeros of every run of digits removed (a run of zeros only keeps one).
    Separators go first, so the digits they split form one run:
    ``"12-0034"`` and ``"120034"`` are the same number, as when a clerk types
    the number without its dash.  Unicode dashes, any white space and
    backslashes count as separators too.  An empty or missing number gives
    ``""``, which never equals anything for duplicate detection.

    >>> normalize_invoice_number("INV-000123")
    'inv123'
    >>> normalize_invoice_number("inv 123")
    'inv123'
    >>> normalize_invoice_number("0042/A")
    '42a'
    >>> normalize_invoice_number("000")
    '0'
    """
    if not number:
        return ""
    compact = _SEPARATORS_RE.sub("", number.lower())
    return _DIGIT_RUN_RE.sub(lambda run: run.group().lstrip("0") or "0", compact)


def _round(value: Decimal, rounding: Number | None, method: str) -> Decimal:
    value = _FLOAT_DIGITS.plus(value)
    if rounding is None:
        return value
    step = as_decimal(rounding)
    if step <= 0:
        raise ValueError("rounding must be positive, got %s" % step)
    return (value / step).quantize(Decimal(1), rounding=method) * step


def _factor(value: Number) -> Decimal:
    factor = as_decimal(value)
    if factor <= 0:
        raise ValueError("a unit of measure factor must be positive, got %s" % factor)
    return factor


def to_po_uom(
    qty: Number,
    factor_bill_uom: Number,
    factor_po_uom: Number,
    rounding: Number | None = None,
) -> Decimal:
    """A quantity in the bill's unit expressed in the PO line's unit.

    Odoo's semantics (``uom.uom._compute_quantity``): a unit's ``factor`` is
    how many of it make one reference unit of its category, so
    ``qty_in_reference = qty / factor`` and
    ``qty_in_target = qty_in_reference * target.factor``.  A box of 12 in the
    Units category (reference: Units, factor 1) has ``factor = 1/12``
    (``factor_inv = 12``, "bigger than the reference"); a gram in the kg
    category has ``factor = 1000``.  Both units must belong to one category;
    that is the caller's check.

    The result is rounded to 15 significant digits, which removes the
    representation error of factors like 1/12 stored as floats.  When
    ``rounding`` (the PO unit's rounding, e.g. ``0.01``) is given it is then
    rounded to a multiple of it *away from zero*, Odoo's default
    ``rounding_method='UP'``.

    >>> to_po_uom(2, 1 / 12, 1)  # 2 boxes of 12 are 24 units
    Decimal('24.0000000000000')
    >>> to_po_uom(30, 1, 1 / 12)  # 30 units are 2.5 boxes
    Decimal('2.50000000000000')
    >>> to_po_uom(1500, 1000, 1)  # 1500 g are 1.5 kg
    Decimal('1.5')
    >>> to_po_uom(10, 1, 1 / 12, rounding="0.01")  # 0.8333 box, rounded up
    Decimal('0.84')
    """
    qty_reference = as_decimal(qty) / _factor(factor_bill_uom)
    return _round(qty_reference * _factor(factor_po_uom), rounding, ROUND_UP)


def convert_price(
    price: Number,
    from_qty_factor: Number,
    to_qty_factor: Number,
    rate: Number = 1,
    rounding: Number | None = None,
) -> Decimal:
    """A unit price per the bill's unit in the bill's currency, as a price per PO unit
    in the PO's currency.

    Units follow Odoo's ``uom.uom._compute_price``:
    ``price * from_factor / to_factor`` (the factors of the bill's and the
    PO's unit, as in :func:`to_po_uom`).  A price per box of 12
    (factor 1/12) is 12 times the price per unit (factor 1): 120 per box is
    10 per unit.

    ``rate`` converts the bill's currency into the PO's:
    ``amount_po = amount_bill * rate``, i.e. Odoo's
    ``res.currency._get_conversion_rate(bill_currency, po_currency, ...)``,
    which is ``po_currency.rate / bill_currency.rate``.

    The result is rounded to 15 significant digits, then, when ``rounding``
    is given (the price precision, e.g. ``0.0001``), half up to a multiple of it.

    >>> convert_price(120, 1 / 12, 1)  # per box of 12 -> per unit
    Decimal('10.0000000000000')
    >>> convert_price(10, 1, 1 / 12)  # per unit -> per box of 12
    Decimal('120.000000000000')
    >>> convert_price("9.00", 1, 1, rate="1.1")  # 9.00 EUR at 1.1 USD per EUR
    Decimal('9.900')
    """
    amount = as_decimal(price) * _factor(from_qty_factor) / _factor(to_qty_factor)
    return _round(amount * as_decimal(rate), rounding, ROUND_HALF_UP)
