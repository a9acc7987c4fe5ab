"""Two- and three-way matching of a vendor bill against its purchase order lines.

The model layer reads the bill, its lines, the PO lines, the rules and the
duplicate candidates of a whole batch at once, fills the dataclasses below and
calls :func:`match_bill` per bill; it stores the :class:`BillResult`.  Nothing
here reads a database.

Bill lines arrive already expressed in the PO line's unit and currency (see
:func:`.normalize.to_po_uom` and :func:`.normalize.convert_price`), so every
comparison is between like figures.

Cost: one pass to index the PO lines given (skipped when a :class:`POLineIndex`
built once for a batch is passed), then O(1) work per bill line: a line finds
its PO line by id or through the (order, product) index, never by scanning
the PO lines.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from . import tolerance
from .normalize import as_decimal, normalize_invoice_number, optional_decimal
from .rules import ACTION_BLOCK, ACTION_WARN, LEVEL_THREE_WAY, MatchRule, select_rule

ZERO = Decimal(0)

# Purchase order states (purchase.order.state).
PO_STATES = ("draft", "sent", "to approve", "purchase", "done", "cancel")
PO_CANCELLED = "cancel"
BILL_CANCELLED = "cancel"

# Exception reasons.
PRICE_OVER_TOLERANCE = "price_over_tolerance"
QTY_OVER_RECEIVED = "qty_over_received"
QTY_OVER_ORDERED = "qty_over_ordered"
NO_PURCHASE_ORDER = "no_purchase_order"
PO_CANCELLED_REASON = "po_cancelled"
PO_FULLY_BILLED = "po_fully_billed"
VENDOR_MISMATCH = "vendor_mismatch"
CODING_MISMATCH = "coding_mismatch"
TOTAL_MISMATCH = "total_mismatch"
POSSIBLE_DUPLICATE = "possible_duplicate"
DUPLICATE = "duplicate"
REASONS = (
    (PRICE_OVER_TOLERANCE, "Price over tolerance"),
    (QTY_OVER_RECEIVED, "Quantity over received"),
    (QTY_OVER_ORDERED, "Quantity over ordered"),
    (NO_PURCHASE_ORDER, "No purchase order"),
    (PO_CANCELLED_REASON, "Purchase order cancelled"),
    (PO_FULLY_BILLED, "Purchase order fully billed"),
    (VENDOR_MISMATCH, "Vendor differs from PO"),
    (CODING_MISMATCH, "Job / phase / cost code differs from PO line"),
    (TOTAL_MISMATCH, "Total mismatch"),
    (POSSIBLE_DUPLICATE, "Possible duplicate"),
    (DUPLICATE, "Duplicate"),
)

SEVERITY_WARN = ACTION_WARN
SEVERITY_BLOCK = ACTION_BLOCK
SEVERITIES = ((SEVERITY_WARN, "Warning"), (SEVERITY_BLOCK, "Blocking"))

LINE_MATCHED = "matched"
LINE_EXCEPTION = "exception"
BILL_MATCHED = "matched"
BILL_WARNING = "warning"
BILL_BLOCKED = "blocked"


def _id_or_none(value: int | None) -> int | None:
    """ORM ids of empty many2one fields come as ``False`` or 0: both mean "not set"."""
    return value or None


# ----------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class POLine:
    """A purchase order line as the engine sees it; quantities in the PO line's unit.

    ``vendor_id`` is the order's commercial partner.  ``qty_billed_elsewhere``
    is the quantity on *other* bills that are not cancelled (the bill being
    matched excluded).  ``price_unit`` is in the PO's currency, per PO unit,
    net of discount.
    """

    id: int
    order_id: int
    order_name: str
    order_state: str
    vendor_id: int
    product_id: int | None
    qty_ordered: Decimal
    qty_received: Decimal
    qty_billed_elsewhere: Decimal
    price_unit: Decimal
    job_id: int | None = None
    phase_id: int | None = None
    cost_code_id: int | None = None
    categ_id: int | None = None

    def __post_init__(self) -> None:
        if self.order_state not in PO_STATES:
            raise ValueError("PO line %s: unknown order state %r" % (self.id, self.order_state))
        for name in ("qty_ordered", "qty_received", "qty_billed_elsewhere", "price_unit"):
            object.__setattr__(self, name, as_decimal(getattr(self, name)))
        for name in ("product_id", "job_id", "phase_id", "cost_code_id", "categ_id"):
            object.__setattr__(self, name, _id_or_none(getattr(self, name)))

    @property
    def qty_to_bill(self) -> Decimal:
        """Ordered and not billed on other bills (negative when over-billed)."""
        return self.qty_ordered - self.qty_billed_elsewhere


@dataclass(frozen=True)
class BillLine:
    """A vendor bill line, already in the PO line's unit and currency.

    ``price_unit`` is per PO unit, in the PO's currency, net of discount.
    Retention lines (the amount a subcontract bill withholds) are never a
    price, quantity or total variance: the engine skips them.
    """

    id: int
    sequence: int
    po_line_id: int | None
    product_id: int | None
    quantity: Decimal
    price_unit: Decimal
    job_id: int | None = None
    phase_id: int | None = None
    cost_code_id: int | None = None
    is_retention: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", as_decimal(self.quantity))
        object.__setattr__(self, "price_unit", as_decimal(self.price_unit))
        for name in ("po_line_id", "product_id", "job_id", "phase_id", "cost_code_id"):
            object.__setattr__(self, name, _id_or_none(getattr(self, name)))


BILL_LEVEL_LINE = BillLine(
    id=0, sequence=0, po_line_id=None, product_id=None, quantity=ZERO, price_unit=ZERO
)
"""The line given to ``rule_for_line`` for the bill-level rule: no product, no coding."""


@dataclass(frozen=True)
class Bill:
    """A vendor bill.

    ``vendor_id`` is the commercial partner.  ``amount_total_declared`` is the
    total the vendor's document states (None when not given: no total check);
    it is compared with ``amount_untaxed_lines + amount_tax``, all in the
    bill's currency.  ``amount_untaxed_lines`` is the sum of the line
    subtotals *without retention lines*; ``amount_tax`` is the lines' tax
    (leave it 0 when the declared total is untaxed).  ``purchase_order_ids``
    are the orders a line without an explicit PO line link is looked up in
    (the orders of linked lines are added).
    """

    id: int
    vendor_id: int
    company_id: int
    currency: str
    invoice_number: str | None
    amount_total_declared: Decimal | None = None
    amount_untaxed_lines: Decimal = ZERO
    purchase_order_ids: tuple[int, ...] = ()
    amount_tax: Decimal = ZERO

    def __post_init__(self) -> None:
        declared = optional_decimal(self.amount_total_declared)
        object.__setattr__(self, "amount_total_declared", declared)
        object.__setattr__(self, "amount_untaxed_lines", as_decimal(self.amount_untaxed_lines))
        object.__setattr__(self, "amount_tax", as_decimal(self.amount_tax))
        object.__setattr__(self, "purchase_order_ids", tuple(self.purchase_order_ids))

    @property
    def amount_lines(self) -> Decimal:
        """What the lines add up to, on the declared total's basis."""
        return self.amount_untaxed_lines + self.amount_tax


@dataclass(frozen=True)
class OtherBill:
    """A bill of the same commercial vendor, candidate for being a duplicate.

    Also describes the bill being checked, for :func:`find_duplicates`.
    ``state`` is ``account.move.state``; ``currency`` the currency code (when
    both bills give one and they differ, equal amounts are no duplicate).
    """

    id: int
    invoice_number: str | None
    amount_total: Decimal
    invoice_date: date | None
    state: str
    vendor_id: int | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount_total", as_decimal(self.amount_total))
        object.__setattr__(self, "invoice_date", self.invoice_date or None)
        object.__setattr__(self, "vendor_id", _id_or_none(self.vendor_id))


class Duplicate(NamedTuple):
    """Another bill that duplicates (``kind`` = :data:`DUPLICATE`) or may duplicate
    (:data:`POSSIBLE_DUPLICATE`) the bill being matched."""

    bill_id: int
    kind: str
    invoice_number: str
    amount_total: Decimal | None = None


# ----------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class MatchException:
    """Why a line or a bill does not match, with the figures a person checks.

    ``line_id`` is None for bill-level exceptions (total, duplicates).
    ``expected``/``actual``/``variance`` are unit prices for a price, quantities
    (PO unit) for a quantity, amounts (bill currency) for the total, and None
    where no figure applies (no PO, cancelled PO, vendor, coding, duplicates).
    A result holds at most one exception per (line, reason).
    """

    line_id: int | None
    reason: str
    expected: Decimal | None
    actual: Decimal | None
    variance: Decimal | None
    severity: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.severity == SEVERITY_BLOCK


@dataclass(frozen=True)
class LineResult:
    line_id: int
    po_line_id: int | None
    status: str
    exceptions: tuple[MatchException, ...] = ()


@dataclass(frozen=True)
class BillResult:
    """``status``: blocked when any exception blocks, warning when any warns, else matched.

    ``lines`` are in (sequence, id) order; ``exceptions`` are all of them,
    the lines' in line order followed by the bill-level ones.
    """

    bill_id: int
    status: str
    lines: tuple[LineResult, ...]
    exceptions: tuple[MatchException, ...]

    @property
    def blocking(self) -> bool:
        return self.status == BILL_BLOCKED


# ----------------------------------------------------------------------
# Finding the PO line
# ----------------------------------------------------------------------


class POLineIndex:
    """PO lines by id and by (order, product), each group sorted by id.

    Build it once for a batch of bills and pass it to :func:`match_bill` in
    place of the mapping: indexing then costs nothing per bill.
    """

    __slots__ = ("_by_id", "_by_order_product", "_order_ids")

    def __init__(self, po_lines: Mapping[int, POLine] | Iterable[POLine]) -> None:
        lines = po_lines.values() if isinstance(po_lines, Mapping) else po_lines
        by_id: dict[int, POLine] = {}
        groups: dict[tuple[int, int], list[POLine]] = {}
        for line in lines:
            by_id[line.id] = line
            if line.product_id is not None:
                groups.setdefault((line.order_id, line.product_id), []).append(line)
        self._by_id = by_id
        self._by_order_product = {
            key: tuple(sorted(group, key=lambda line: line.id)) for key, group in groups.items()
        }
        self._order_ids = tuple(dict.fromkeys(line.order_id for line in by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, po_line_id: int | None) -> POLine | None:
        return self._by_id.get(po_line_id) if po_line_id is not None else None

    @property
    def order_ids(self) -> tuple[int, ...]:
        """Every order with a line in the index."""
        return self._order_ids

    def for_product(self, order_ids: Iterable[int], product_id: int) -> tuple[POLine, ...]:
        """Lines of these orders with this product, by id."""
        found: list[POLine] = []
        groups = 0
        for order_id in order_ids:
            group = self._by_order_product.get((order_id, product_id))
            if group:
                found.extend(group)
                groups += 1
        if groups > 1:
            found.sort(key=lambda line: line.id)
        return tuple(found)


def _as_index(po_lines: POLineIndex | Mapping[int, POLine] | Iterable[POLine]) -> POLineIndex:
    return po_lines if isinstance(po_lines, POLineIndex) else POLineIndex(po_lines)


class _Picker:
    """Chooses among the lines of one product: the first by id that is open (order
    not cancelled) with quantity left to bill, else the first open one, else the
    first.  The cursor only moves forward as this bill takes the quantity left,
    so picking for all of a bill's lines costs O(candidates + lines)."""

    __slots__ = ("_candidates", "_cursor", "_fallback")

    def __init__(self, candidates: Sequence[POLine]) -> None:
        self._candidates = candidates
        self._cursor = 0
        self._fallback = next(
            (line for line in candidates if line.order_state != PO_CANCELLED),
            candidates[0] if candidates else None,
        )

    def pick(self, taken: Mapping[int, Decimal]) -> POLine | None:
        candidates = self._candidates
        while self._cursor < len(candidates):
            line = candidates[self._cursor]
            if line.order_state != PO_CANCELLED and line.qty_to_bill - taken.get(line.id, ZERO) > 0:
                return line
            self._cursor += 1
        return self._fallback


def find_po_line(
    bill_line: BillLine,
    po_lines: POLineIndex | Mapping[int, POLine] | Iterable[POLine],
    order_ids: Iterable[int] | None = None,
    taken: Mapping[int, Decimal] | None = None,
) -> POLine | None:
    """The PO line a bill line is matched against, or None.

    The explicit link (``bill_line.po_line_id``) first, when that line is
    given.  Otherwise a line of ``order_ids`` (default: every order in
    ``po_lines``) with the same product: the first by id whose order is not
    cancelled and that has quantity left to bill (ordered, less billed on
    other bills, less ``taken``: what earlier lines of this bill took); when
    none has any left, the first whose order is not cancelled (it will be
    "fully billed"); when all are cancelled, the first (it will be "cancelled").
    """
    index = _as_index(po_lines)
    linked = index.get(bill_line.po_line_id)
    if linked is not None:
        return linked
    if bill_line.product_id is None:
        return None
    orders = index.order_ids if order_ids is None else order_ids
    return _Picker(index.for_product(orders, bill_line.product_id)).pick(taken or {})


def rule_resolver(
    rules: Iterable[MatchRule], bill: Bill, default: MatchRule
) -> Callable[[BillLine, POLine | None], MatchRule]:
    """A ``rule_for_line`` for :func:`match_bill`: the rule of the bill's company and
    vendor, the PO line's product category and the line's job (the bill line's,
    else the PO line's), memoised per (category, job)."""
    candidates = [
        rule
        for rule in rules
        if rule.company_id == bill.company_id and rule.vendor_id in (None, bill.vendor_id)
    ]
    cache: dict[tuple[int | None, int | None], MatchRule] = {}

    def rule_for_line(bill_line: BillLine, po_line: POLine | None) -> MatchRule:
        categ_id = po_line.categ_id if po_line is not None else None
        job_id = bill_line.job_id or (po_line.job_id if po_line is not None else None)
        key = (categ_id, job_id)
        rule = cache.get(key)
        if rule is None:
            rule = cache[key] = select_rule(
                candidates, bill.company_id, bill.vendor_id, categ_id, job_id, default
            )
        return rule

    return rule_for_line


# ----------------------------------------------------------------------
# Matching
# ----------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    """An amount or a price: two decimals, more when the figure has them."""
    if value.normalize().as_tuple().exponent >= -2:
        return format(value, ".2f")
    return format(value.normalize(), "f")


def _qty(value: Decimal) -> str:
    return format(value.normalize(), "f")


_CODING = (("job_id", "job"), ("phase_id", "phase"), ("cost_code_id", "cost code"))


def _line_exceptions(
    bill: Bill,
    line: BillLine,
    po_line: POLine | None,
    rule: MatchRule,
    qty_on_this_bill: Decimal,
) -> list[MatchException]:
    """Exceptions of one (non-retention) line, in the order a person reads them."""
    severity = rule.action

    def exception(reason, message, expected=None, actual=None, variance=None):
        return MatchException(line.id, reason, expected, actual, variance, severity, message)

    if po_line is None:
        if line.po_line_id is not None:
            where = "the linked PO line %s is not available" % line.po_line_id
        elif line.product_id is None:
            where = "the line has no product and no PO line link"
        else:
            where = "no line of the bill's purchase orders has product %s" % line.product_id
        return [exception(NO_PURCHASE_ORDER, "No purchase order line to match: %s." % where)]
    order = po_line.order_name
    if po_line.order_state == PO_CANCELLED:
        return [exception(PO_CANCELLED_REASON, "Purchase order %s is cancelled." % order)]

    found = []
    if po_line.vendor_id != bill.vendor_id:
        found.append(
            exception(
                VENDOR_MISMATCH,
                "The bill's vendor (partner %s) is not the vendor of %s (partner %s)."
                % (bill.vendor_id, order, po_line.vendor_id),
            )
        )
    differences = [
        "%s %s on the bill, %s on the PO line"
        % (label, getattr(line, name), getattr(po_line, name))
        for name, label in _CODING
        if getattr(line, name) is not None and getattr(line, name) != getattr(po_line, name)
    ]
    if differences:
        found.append(
            exception(
                CODING_MISMATCH,
                "Coding differs from %s: %s." % (order, "; ".join(differences)),
            )
        )
    price_variance = tolerance.price_breach(po_line.price_unit, line.price_unit, rule)
    if price_variance is not None:
        allowed = tolerance.allowed_over(
            po_line.price_unit, rule.price_tolerance_percent, rule.price_tolerance_amount
        )
        found.append(
            exception(
                PRICE_OVER_TOLERANCE,
                "Unit price %s is %s above the price %s of %s (tolerance %s)."
                % (
                    _amount(line.price_unit),
                    _amount(price_variance),
                    _amount(po_line.price_unit),
                    order,
                    _amount(allowed),
                ),
                po_line.price_unit,
                line.price_unit,
                price_variance,
            )
        )
    if line.quantity <= 0:
        return found  # a credit or an empty line never bills too much

    elsewhere = po_line.qty_billed_elsewhere
    cumulative = elsewhere + qty_on_this_bill
    billed = "Billed quantity %s (%s on other bills, %s on this bill)" % (
        _qty(cumulative),
        _qty(elsewhere),
        _qty(qty_on_this_bill),
    )
    if elsewhere >= po_line.qty_ordered:
        found.append(
            exception(
                PO_FULLY_BILLED,
                "%s is already fully billed for this line: %s ordered, %s billed on other "
                "bills, this bill adds %s."
                % (order, _qty(po_line.qty_ordered), _qty(elsewhere), _qty(qty_on_this_bill)),
                po_line.qty_ordered,
                cumulative,
                cumulative - po_line.qty_ordered,
            )
        )
        return found
    checks = [(QTY_OVER_ORDERED, "ordered", po_line.qty_ordered)]
    if rule.level == LEVEL_THREE_WAY:
        checks.insert(0, (QTY_OVER_RECEIVED, "received", po_line.qty_received))
    for reason, what, base in checks:
        variance = tolerance.qty_breach(base, cumulative, rule)
        if variance is not None:
            allowed = tolerance.allowed_over(
                base, rule.qty_tolerance_percent, rule.qty_tolerance_units
            )
            found.append(
                exception(
                    reason,
                    "%s exceeds the %s quantity %s of %s by %s (tolerance %s)."
                    % (billed, what, _qty(base), order, _qty(variance), _qty(allowed)),
                    base,
                    cumulative,
                    variance,
                )
            )
    return found


def _bill_exceptions(
    bill: Bill,
    rule_for_bill: Callable[[], MatchRule],
    duplicates: Iterable[tuple],
) -> list[MatchException]:
    found = []
    if bill.amount_total_declared is not None:
        rule = rule_for_bill()
        variance = tolerance.total_breach(bill.amount_lines, bill.amount_total_declared, rule)
        if variance is not None:
            found.append(
                MatchException(
                    None,
                    TOTAL_MISMATCH,
                    bill.amount_lines,
                    bill.amount_total_declared,
                    variance,
                    rule.action,
                    "Declared total %s %s differs from the lines' total %s %s by %s "
                    "(tolerance %s)."
                    % (
                        _amount(bill.amount_total_declared),
                        bill.currency,
                        _amount(bill.amount_lines),
                        bill.currency,
                        _amount(variance),
                        _amount(rule.total_tolerance_amount),
                    ),
                )
            )
    by_kind: dict[str, list[Duplicate]] = {DUPLICATE: [], POSSIBLE_DUPLICATE: []}
    for item in duplicates:
        duplicate = Duplicate(*item)
        if duplicate.kind not in by_kind:
            raise ValueError("unknown duplicate kind %r" % (duplicate.kind,))
        by_kind[duplicate.kind].append(duplicate)

    def others(items: list[Duplicate]) -> str:
        return ", ".join("%s (%s)" % (item.bill_id, item.invoice_number or "-") for item in items)

    if by_kind[DUPLICATE]:
        items = by_kind[DUPLICATE]
        found.append(
            MatchException(
                None,
                DUPLICATE,
                None,
                None,
                None,
                SEVERITY_BLOCK,
                "Invoice number %s is already used by this vendor's bill%s %s."
                % (bill.invoice_number or "-", "s" if len(items) > 1 else "", others(items)),
            )
        )
    if by_kind[POSSIBLE_DUPLICATE]:
        items = by_kind[POSSIBLE_DUPLICATE]
        amount = items[0].amount_total
        found.append(
            MatchException(
                None,
                POSSIBLE_DUPLICATE,
                None,
                None,
                None,
                SEVERITY_WARN,
                "This vendor's bill%s %s, under another number, %s the same amount%s within "
                "the duplicate window."
                % (
                    "s" if len(items) > 1 else "",
                    others(items),
                    "have" if len(items) > 1 else "has",
                    " %s" % _amount(as_decimal(amount)) if amount is not None else "",
                ),
            )
        )
    return found


def match_bill(
    bill: Bill,
    lines: Iterable[BillLine],
    po_lines_by_id: POLineIndex | Mapping[int, POLine],
    rule_for_line: Callable[[BillLine, POLine | None], MatchRule],
    duplicates: Iterable[tuple] = (),
    bill_rule: MatchRule | None = None,
) -> BillResult:
    """Match one bill: every line against its PO line, then the bill's total and duplicates.

    ``po_lines_by_id`` holds the PO lines of the bill's orders and every
    explicitly linked line (a :class:`POLineIndex` built once for a batch
    saves indexing per bill).  ``rule_for_line(bill_line, po_line)`` gives the
    rule of a line (``po_line`` None when there is none); the bill-level rule
    (total tolerance and action) is ``bill_rule``, or else
    ``rule_for_line(BILL_LEVEL_LINE, None)``.  ``duplicates`` are
    ``(other bill id, kind, other invoice number[, amount])`` as
    :func:`find_duplicates` returns them.

    Lines are handled in (sequence, id) order.  Explicit links are assigned
    first, then lines without one take a PO line of the same product (see
    :func:`find_po_line`), so an unlinked line does not take the quantity a
    linked one needs.  Per line, in this order:

    * no PO line: ``no_purchase_order`` (nothing else is checked);
    * order cancelled: ``po_cancelled`` (nothing else is checked);
    * ``vendor_mismatch`` when the order's vendor is not the bill's;
    * ``coding_mismatch`` when a job, phase or cost code *set on the bill
      line* differs from the PO line's (an empty one inherits the PO's);
    * ``price_over_tolerance`` when the unit price exceeds the PO's beyond
      the price tolerance (expected: PO price, actual: bill price, variance:
      the difference per unit);
    * for lines with a positive quantity, with cumulative = billed elsewhere +
      all of this bill's lines on the same PO line: ``po_fully_billed`` when
      the other bills already reach the ordered quantity (expected: ordered,
      actual: cumulative, no tolerance; the quantity checks are then
      skipped), else ``qty_over_received`` (three-way only; expected:
      received) and ``qty_over_ordered`` (expected: ordered), each with the
      quantity tolerance and variance = cumulative - expected.

    Retention lines are not checked and come out matched.  Severity is the
    rule's action, except ``duplicate`` (always blocks) and
    ``possible_duplicate`` (always warns).
    """
    index = _as_index(po_lines_by_id)
    ordered = sorted(lines, key=lambda line: (line.sequence, line.id))
    assigned: list[POLine | None] = [None] * len(ordered)
    taken: dict[int, Decimal] = {}
    orders = dict.fromkeys(bill.purchase_order_ids)

    for position, line in enumerate(ordered):
        if line.is_retention:
            continue
        po_line = index.get(line.po_line_id)
        if po_line is not None:
            assigned[position] = po_line
            taken[po_line.id] = taken.get(po_line.id, ZERO) + line.quantity
            orders.setdefault(po_line.order_id)

    order_ids = tuple(orders)
    pickers: dict[int, _Picker] = {}
    for position, line in enumerate(ordered):
        if line.is_retention or assigned[position] is not None or line.product_id is None:
            continue
        picker = pickers.get(line.product_id)
        if picker is None:
            picker = pickers[line.product_id] = _Picker(
                index.for_product(order_ids, line.product_id)
            )
        po_line = picker.pick(taken)
        if po_line is not None:
            assigned[position] = po_line
            taken[po_line.id] = taken.get(po_line.id, ZERO) + line.quantity

    line_results = []
    all_exceptions: list[MatchException] = []
    for line, po_line in zip(ordered, assigned, strict=True):
        if line.is_retention:
            line_results.append(LineResult(line.id, line.po_line_id, LINE_MATCHED))
            continue
        rule = rule_for_line(line, po_line)
        qty_here = taken.get(po_line.id, ZERO) if po_line is not None else ZERO
        exceptions = tuple(_line_exceptions(bill, line, po_line, rule, qty_here))
        line_results.append(
            LineResult(
                line.id,
                po_line.id if po_line is not None else None,
                LINE_EXCEPTION if exceptions else LINE_MATCHED,
                exceptions,
            )
        )
        all_exceptions.extend(exceptions)

    def rule_for_bill() -> MatchRule:
        return bill_rule if bill_rule is not None else rule_for_line(BILL_LEVEL_LINE, None)

    all_exceptions.extend(_bill_exceptions(bill, rule_for_bill, duplicates))
    if any(exception.blocking for exception in all_exceptions):
        status = BILL_BLOCKED
    elif all_exceptions:
        status = BILL_WARNING
    else:
        status = BILL_MATCHED
    return BillResult(bill.id, status, tuple(line_results), tuple(all_exceptions))


# ----------------------------------------------------------------------
# Duplicates
# ----------------------------------------------------------------------


def find_duplicates(
    bill: OtherBill | Bill,
    others: Iterable[OtherBill],
    window_days: int | None,
) -> list[Duplicate]:
    """Bills of the same commercial vendor that duplicate ``bill`` or may do so.

    * the same normalised invoice number (:func:`.normalize.normalize_invoice_number`;
      an empty number matches nothing): ``duplicate``, whatever the amount or date;
    * otherwise the same ``amount_total`` (not 0) and currency, with invoice dates
      at most ``window_days`` apart (0: the same day; None: this check is off):
      ``possible_duplicate``.

    Cancelled bills and ``bill`` itself are ignored, as are others whose
    ``vendor_id`` is given and differs.  A :class:`Bill` has no amount or
    date: only numbers are compared for it.  The result lists duplicates
    first, then possible duplicates, each by bill id.
    """
    number = normalize_invoice_number(bill.invoice_number)
    vendor_id = bill.vendor_id
    amount = getattr(bill, "amount_total", None)
    when = getattr(bill, "invoice_date", None)
    currency = getattr(bill, "currency", None)
    check_amount = window_days is not None and bool(amount) and when is not None
    found = []
    for other in others:
        if other.id == bill.id or other.state == BILL_CANCELLED:
            continue
        if vendor_id is not None and other.vendor_id is not None and other.vendor_id != vendor_id:
            continue
        if number and normalize_invoice_number(other.invoice_number) == number:
            found.append(
                Duplicate(other.id, DUPLICATE, other.invoice_number or "", other.amount_total)
            )
        elif (
            check_amount
            and other.amount_total == amount
            and other.invoice_date is not None
            and not (currency and other.currency and currency != other.currency)
            and abs((other.invoice_date - when).days) <= window_days
        ):
            found.append(
                Duplicate(
                    other.id, POSSIBLE_DUPLICATE, other.invoice_number or "", other.amount_total
                )
            )
    found.sort(key=lambda item: (item.kind != DUPLICATE, item.bill_id))
    return found
