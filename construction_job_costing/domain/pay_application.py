"""Progress billing arithmetic: the continuation sheet and the application
summary of the standard pay application form. Pure Python on Decimal: no Odoo
import.

Continuation sheet, per schedule of values line:

- A item number, B description
- C scheduled value = original value + approved owner change orders
- D work completed from previous application = D + E of the previous one
- E work completed this period (entered as an amount, or as a % of C)
- F materials presently stored (not in D or E): a balance, not an increment;
  when stored materials are installed they move from F into E
- G total completed and stored to date = D + E + F; G / C as a %
- H balance to finish = C - G
- I retainage = retainage on work + retainage on stored materials

Application summary:

1. original contract sum (sum of the original values)
2. net change by change orders (sum of the change order values)
3. contract sum to date = 1 + 2
4. total completed and stored to date = sum of G
5. retainage: (a) on completed work + (b) on stored materials
6. total earned less retainage = 4 - 5
7. less previous certificates for payment = line 6 of the previous application
8. current payment due = 6 - 7
9. balance to finish, including retainage = 3 - 6

What the application bills this period, per line, is the growth of G: G - D -
previous F (= E + F - previous F); its retainage this period is line 5 less
line 5 of the previous application. Billed less retained this period is line 8.

Retainage rules (``RetainageTerms``):

- Stored materials: ``stored_percent`` of F, per line. Materials are retained
  while stored; once installed they are work and retained as work.
- Work: ``work_percent`` of the work completed to date (sum of D + E), up to
  ``reduction_at_percent`` of the contract sum to date (line 3); the work
  beyond that point is retained at ``reduced_work_percent``. With 10 % until
  50 % complete and 5 % after, on a 1,000,000 contract with 690,000 of work
  done, the retainage on work is 10 % x 500,000 + 5 % x 190,000 = 59,500.
  The drop never releases retainage already held on the first half (only a
  retention release does that). The % complete counts work only (D + E), not
  stored materials. Without a reduction, every unit of work is retained at
  ``work_percent``.
- Per line, the retainage on work held by the previous application stays on
  its line; this period's retainage on work (the rule above less what was
  held) is spread over the lines in proportion to this period's work E,
  rounded to the cent by largest remainder so that the lines add up to
  line 5a exactly. (When no work is done this period but the retainage on
  work changes, because a change order moved the reduction point, it is
  spread in proportion to the work to date D + E.)
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def dec(value) -> Decimal:
    """A Decimal of a float, int, str or Decimal (None and False are 0).

    >>> dec(0.1) + dec(0.2)
    Decimal('0.3')
    """
    if value is None or value is False:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def cents(value) -> Decimal:
    """Round half up to the cent.

    >>> cents(Decimal("2381.245"))
    Decimal('2381.25')
    """
    return dec(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(part, whole) -> Decimal:
    """``part`` / ``whole`` as a % with two decimals (0 when ``whole`` is 0).

    >>> percent_of(170000, 300000)
    Decimal('56.67')
    >>> percent_of(5, 0)
    Decimal('0.00')
    """
    part, whole = dec(part), dec(whole)
    if not whole:
        return ZERO.quantize(CENT)
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def work_from_percent(scheduled_value, percent) -> Decimal:
    """Work completed this period entered as a % of the scheduled value.

    >>> work_from_percent(300000, 50)
    Decimal('150000.00')
    """
    return cents(dec(scheduled_value) * dec(percent) / HUNDRED)


def percent_problem(value):
    """Why ``value`` is no retainage or threshold %, or None.

    >>> percent_problem(5) is None
    True
    >>> percent_problem(-1)
    'must be between 0 and 100'
    """
    if value is None or value is False:
        return None
    if dec(value) < 0 or dec(value) > HUNDRED:
        return "must be between 0 and 100"
    return None


@dataclass(frozen=True)
class RetainageTerms:
    """The retainage terms of the contract (see the module docstring)."""

    work_percent: Decimal = ZERO
    stored_percent: Decimal = ZERO
    reduced_work_percent: Decimal | None = None
    reduction_at_percent: Decimal | None = None

    @classmethod
    def of(cls, work, stored, reduced=None, reduction_at=None):
        """Terms from floats; a reduction needs both its rate (0 is a rate) and
        its point (0 or None: no reduction)."""
        has_reduction = bool(reduction_at) and reduced is not None and reduced is not False
        return cls(
            dec(work),
            dec(stored),
            dec(reduced) if has_reduction else None,
            dec(reduction_at) if has_reduction else None,
        )

    def problems(self):
        """[(term, problem)] of the rates and the reduction point outside 0-100."""
        terms = {
            "work_percent": self.work_percent,
            "stored_percent": self.stored_percent,
            "reduced_work_percent": self.reduced_work_percent,
            "reduction_at_percent": self.reduction_at_percent,
        }
        return [
            (name, problem) for name, value in terms.items() if (problem := percent_problem(value))
        ]

    def work_retainage(self, work_to_date, contract_sum) -> Decimal:
        """Retainage on the work completed to date (line 5a), to the cent.

        >>> terms = RetainageTerms.of(10, 5, 5, 50)
        >>> terms.work_retainage(290000, 1050000)
        Decimal('29000.00')
        >>> terms.work_retainage(690000, 1050000)   # 10 % of 525,000 + 5 % of 165,000
        Decimal('60750.00')
        >>> RetainageTerms.of(10, 5).work_retainage(690000, 1050000)
        Decimal('69000.00')
        """
        work = dec(work_to_date)
        if self.reduction_at_percent is None:
            return cents(work * self.work_percent / HUNDRED)
        point = dec(contract_sum) * self.reduction_at_percent / HUNDRED
        full = min(work, max(point, ZERO))
        reduced = work - full
        return cents((full * self.work_percent + reduced * self.reduced_work_percent) / HUNDRED)

    def stored_retainage(self, stored) -> Decimal:
        """Retainage on materials presently stored on one line.

        >>> RetainageTerms.of(10, 5).stored_retainage(60000)
        Decimal('3000.00')
        """
        return cents(dec(stored) * self.stored_percent / HUNDRED)


@dataclass(frozen=True)
class LineInput:
    """One schedule of values line of an application, as entered.

    ``previous_*`` are the figures of the same line on the previous certified
    application (0 on the first): ``previous_work`` is its D + E (column D
    here), ``previous_stored`` its F, ``previous_work_retainage`` the
    retainage on work it held.
    """

    key: object
    original_value: Decimal = ZERO
    change_order_value: Decimal = ZERO
    previous_work: Decimal = ZERO
    previous_stored: Decimal = ZERO
    previous_work_retainage: Decimal = ZERO
    work_this_period: Decimal = ZERO
    stored_materials: Decimal = ZERO
    label: str = ""

    @property
    def scheduled_value(self) -> Decimal:
        return dec(self.original_value) + dec(self.change_order_value)

    @property
    def work_to_date(self) -> Decimal:
        return dec(self.previous_work) + dec(self.work_this_period)

    @property
    def total_completed(self) -> Decimal:
        return self.work_to_date + dec(self.stored_materials)


@dataclass(frozen=True)
class LineResult:
    """Columns C to I of one line, and what it bills this period."""

    key: object
    scheduled_value: Decimal  # C
    previous_work: Decimal  # D
    work_this_period: Decimal  # E
    stored_materials: Decimal  # F
    total_completed: Decimal  # G
    percent_complete: Decimal  # G / C %
    balance_to_finish: Decimal  # H
    work_retainage: Decimal
    stored_retainage: Decimal
    billed_this_period: Decimal  # G - D - previous F

    @property
    def retainage(self) -> Decimal:  # I
        return self.work_retainage + self.stored_retainage


@dataclass(frozen=True)
class Summary:
    """Lines 1 to 9 of the application summary, and this period's figures."""

    original_contract_sum: Decimal  # 1
    net_change_orders: Decimal  # 2
    contract_sum_to_date: Decimal  # 3
    total_completed_stored: Decimal  # 4
    work_retainage: Decimal  # 5a
    stored_retainage: Decimal  # 5b
    retainage: Decimal  # 5
    total_earned_less_retainage: Decimal  # 6
    previous_certificates: Decimal  # 7
    current_payment_due: Decimal  # 8
    balance_to_finish_with_retainage: Decimal  # 9
    billed_this_period: Decimal
    retainage_this_period: Decimal
    work_to_date: Decimal

    @property
    def percent_complete(self) -> Decimal:
        """Work completed (D + E, no stored materials) as a % of line 3."""
        return percent_of(self.work_to_date, self.contract_sum_to_date)


def allocate(total, weights) -> list:
    """Split ``total`` (to the cent) in proportion to ``weights``, largest
    remainder first, so that the parts add up to ``total`` exactly.

    >>> allocate(Decimal("100.00"), [1, 1, 1])
    [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
    >>> allocate(Decimal("31750.00"), [30000, 120000, 250000])
    [Decimal('2381.25'), Decimal('9525.00'), Decimal('19843.75')]
    >>> allocate(Decimal("5.00"), [0, 0])
    [Decimal('0.00'), Decimal('0.00')]
    """
    total = cents(total)
    weights = [dec(weight) for weight in weights]
    weight_sum = sum(weights, ZERO)
    if not weight_sum or not total:
        return [ZERO.quantize(CENT) for _weight in weights]
    units = int(total / CENT)
    exact = [Decimal(units) * weight / weight_sum for weight in weights]
    parts = [int(value.to_integral_value(rounding="ROUND_FLOOR")) for value in exact]
    remainder = units - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    step = 1 if remainder >= 0 else -1
    for i in order[: abs(remainder)]:
        parts[i] += step
    return [Decimal(part) * CENT for part in parts]


def compute_application(lines, terms, previous_certificates=ZERO, previous_retainage=ZERO):
    """The continuation sheet and the summary of one application.

    ``lines``: ``LineInput`` of every schedule line; ``terms``:
    ``RetainageTerms``; ``previous_certificates`` and ``previous_retainage``:
    lines 6 and 5 of the previous certified application (0 on the first).
    Returns ``([LineResult], Summary)``.
    """
    lines = list(lines)
    contract_sum = sum((line.scheduled_value for line in lines), ZERO)
    work_to_date = sum((line.work_to_date for line in lines), ZERO)
    work_retainage = terms.work_retainage(work_to_date, contract_sum)
    held = sum((dec(line.previous_work_retainage) for line in lines), ZERO)
    weights = [dec(line.work_this_period) for line in lines]
    if not sum(weights, ZERO):
        weights = [line.work_to_date for line in lines]
    shares = allocate(work_retainage - held, weights)
    results = []
    for line, share in zip(lines, shares, strict=True):
        scheduled = line.scheduled_value
        total = line.total_completed
        results.append(
            LineResult(
                key=line.key,
                scheduled_value=scheduled,
                previous_work=dec(line.previous_work),
                work_this_period=dec(line.work_this_period),
                stored_materials=dec(line.stored_materials),
                total_completed=total,
                percent_complete=percent_of(total, scheduled),
                balance_to_finish=scheduled - total,
                work_retainage=cents(dec(line.previous_work_retainage) + share),
                stored_retainage=terms.stored_retainage(line.stored_materials),
                billed_this_period=total - dec(line.previous_work) - dec(line.previous_stored),
            )
        )
    total_completed = sum((result.total_completed for result in results), ZERO)
    stored_retainage = sum((result.stored_retainage for result in results), ZERO)
    retainage = work_retainage + stored_retainage
    earned = total_completed - retainage
    previous_certificates = dec(previous_certificates)
    summary = Summary(
        original_contract_sum=sum((dec(line.original_value) for line in lines), ZERO),
        net_change_orders=sum((dec(line.change_order_value) for line in lines), ZERO),
        contract_sum_to_date=contract_sum,
        total_completed_stored=total_completed,
        work_retainage=work_retainage,
        stored_retainage=stored_retainage,
        retainage=retainage,
        total_earned_less_retainage=earned,
        previous_certificates=previous_certificates,
        current_payment_due=earned - previous_certificates,
        balance_to_finish_with_retainage=contract_sum - earned,
        billed_this_period=sum((result.billed_this_period for result in results), ZERO),
        retainage_this_period=retainage - dec(previous_retainage),
        work_to_date=work_to_date,
    )
    return results, summary


# Problems of a line, as (code, values) for the model to word and translate.
OVER_SCHEDULED = "over_scheduled"
BELOW_ZERO = "below_zero"


def line_problem(line):
    """Why ``line`` (a ``LineInput``) cannot be billed, or None: it would bill
    over 100 % of its scheduled value, or take back more than was billed.

    >>> line_problem(LineInput("1", 100, 0, 40, 0, 0, 50, 10)) is None
    True
    >>> line_problem(LineInput("1", 100, 0, 40, 0, 0, 50, 11))
    'over_scheduled'
    >>> line_problem(LineInput("1", 100, 0, 40, 0, 0, -50, 0))
    'below_zero'
    """
    scheduled, total = line.scheduled_value, line.total_completed
    sign = -1 if scheduled < 0 else 1  # a deduct line bills down to its value
    if sign * total > sign * scheduled:
        return OVER_SCHEDULED
    if sign * total < 0:
        return BELOW_ZERO
    return None
