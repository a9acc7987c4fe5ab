"""The WIP schedule (work in progress): the arithmetic of one job and of the
totals, and the body of ``GET /construction/api/v1/wip``. Pure Python on
Decimal: no Odoo import.

Per job, as of a date D (only documents dated on or before D count):

- contract value as of D = the job's current contract value (which includes
  every approved owner change order) less the price delta of the change
  orders approved after D;
- cost to date = ``actual`` of the job cost report as of D; estimated cost
  (EAC) = its ``estimate_at_completion`` (cost to date + estimate to
  complete); cost to complete = EAC - cost to date;
- percent complete = cost to date / EAC x 100, cost-to-cost, held to 0..100
  (0 when the EAC is 0 or less);
- earned revenue = percent complete x contract value;
- billed to date = posted customer invoices less credit notes of the job
  dated by D, untaxed, retention lines left out;
- over billing = max(billed - earned, 0), a liability (billings in excess of
  cost and estimated earnings); under billing = max(earned - billed, 0), an
  asset (cost and estimated earnings in excess of billings);
- estimated gross profit = contract value - EAC; margin % = estimated gross
  profit / contract value x 100 (0 without a contract);
- a job whose EAC exceeds its contract shows its whole projected loss at
  once: loss provision = (EAC - contract) x (1 - percent complete / 100),
  and gross profit to date = earned - cost to date - loss provision, which
  is then the whole (negative) estimated gross profit. A profitable job has
  no provision and recognises gross profit in proportion to progress.

Rounding: the four inputs are rounded to the currency first, every derived
amount is computed from them and rounded to the currency, so that on every
line cost to complete = EAC - cost to date, over - under = billed - earned and
estimated gross profit = contract - EAC hold to the cent. The loss provision
is what makes gross profit to date equal the estimated gross profit exactly
((EAC - contract) x (1 - percent complete) up to the rounding of earned).
Percent complete is given to two decimals; earned revenue is computed from the
unrounded ratio. Totals sum the rounded lines (over and under billing are
summed per job, never netted); their percent complete is total cost to date /
total EAC, their margin % total estimated gross profit / total contract.

The web client's list computes the same per job in SQL (the report view
``construction.wip.report``), so that it can sum the columns; this module is
what the read API and the PDF use and what the tests hold the SQL to.
"""

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
PERCENT = Decimal("0.01")

# The figures of the contract, in its order, then the additions.
CONTRACT_FIGURES = (
    "contract_value",
    "estimated_cost",
    "cost_to_date",
    "percent_complete",
    "earned_revenue",
    "billed_to_date",
    "over_billing",
    "under_billing",
    "cost_to_complete",
    "gross_profit",
)
EXTRA_FIGURES = ("margin_percent", "loss_provision", "gross_profit_to_date")
PERCENT_FIGURES = ("percent_complete", "margin_percent")


def dec(value) -> Decimal:
    """A Decimal of a float, int, str or Decimal (None and False are 0)."""
    if value is None or value is False:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def contract_as_of(current_contract, price_delta_approved_after) -> Decimal:
    """The contract value on a past date: today's value (approved change
    orders included) less the change orders approved after that date.

    >>> contract_as_of(1040000, 40000)
    Decimal('1000000')
    """
    return dec(current_contract) - dec(price_delta_approved_after)


def completion_ratio(cost_to_date, estimated_cost) -> Decimal:
    """Cost-to-cost completion, 0..1 (0 when nothing is estimated).

    >>> completion_ratio(250, 1000)
    Decimal('0.25')
    >>> completion_ratio(100, 0), completion_ratio(-5, 100), completion_ratio(120, 100)
    (Decimal('0'), Decimal('0'), Decimal('1'))
    """
    cost, eac = dec(cost_to_date), dec(estimated_cost)
    if eac <= 0:
        return ZERO
    return min(max(cost / eac, ZERO), ONE)


@dataclass(frozen=True)
class WipFigures:
    """The WIP figures of a job, or the totals of several."""

    contract_value: Decimal = ZERO
    estimated_cost: Decimal = ZERO
    cost_to_date: Decimal = ZERO
    percent_complete: Decimal = ZERO
    earned_revenue: Decimal = ZERO
    billed_to_date: Decimal = ZERO
    over_billing: Decimal = ZERO
    under_billing: Decimal = ZERO
    cost_to_complete: Decimal = ZERO
    gross_profit: Decimal = ZERO
    margin_percent: Decimal = ZERO
    loss_provision: Decimal = ZERO
    gross_profit_to_date: Decimal = ZERO

    def as_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _margin(gross_profit: Decimal, contract: Decimal) -> Decimal:
    return _round(gross_profit * HUNDRED / contract, PERCENT) if contract else ZERO


def wip_line(contract_value, estimated_cost, cost_to_date, billed_to_date, rounding="0.01"):
    """The WIP figures of one job, rounded to the currency's ``rounding``.

    A profitable job, 40 % complete, billed ahead of its progress:

    >>> line = wip_line(1000000, 800000, 320000, 450000)
    >>> line.percent_complete, line.earned_revenue, line.over_billing, line.under_billing
    (Decimal('40.00'), Decimal('400000.00'), Decimal('50000.00'), Decimal('0.00'))
    >>> line.gross_profit, line.margin_percent, line.gross_profit_to_date
    (Decimal('200000.00'), Decimal('20.00'), Decimal('80000.00'))

    A job in a loss, 60 % complete: the whole loss of 20,000 shows at once.

    >>> line = wip_line(100000, 120000, 72000, 50000)
    >>> line.earned_revenue, line.under_billing, line.loss_provision
    (Decimal('60000.00'), Decimal('10000.00'), Decimal('8000.00'))
    >>> line.gross_profit, line.gross_profit_to_date
    (Decimal('-20000.00'), Decimal('-20000.00'))
    """
    quantum = Decimal(str(rounding))
    zero = _round(ZERO, quantum)
    contract = _round(dec(contract_value), quantum)
    eac = _round(dec(estimated_cost), quantum)
    cost = _round(dec(cost_to_date), quantum)
    billed = _round(dec(billed_to_date), quantum)
    ratio = completion_ratio(cost, eac)
    earned = _round(ratio * contract, quantum)
    gross_profit = contract - eac
    if gross_profit < 0:
        # What recognises the rest of the loss now: earned - cost - provision
        # is then the whole estimated (negative) gross profit.
        loss_provision = earned - cost - gross_profit
    else:
        loss_provision = zero
    return WipFigures(
        contract_value=contract,
        estimated_cost=eac,
        cost_to_date=cost,
        percent_complete=_round(ratio * HUNDRED, PERCENT),
        earned_revenue=earned,
        billed_to_date=billed,
        over_billing=max(billed - earned, zero),
        under_billing=max(earned - billed, zero),
        cost_to_complete=eac - cost,
        gross_profit=gross_profit,
        margin_percent=_margin(gross_profit, contract),
        loss_provision=loss_provision,
        gross_profit_to_date=earned - cost - loss_provision,
    )


def wip_totals(lines):
    """The totals of rounded ``lines`` (WipFigures): amounts summed, percent
    complete and margin % recomputed from the sums.

    >>> total = wip_totals([wip_line(1000, 800, 400, 600), wip_line(1000, 500, 100, 0)])
    >>> total.over_billing, total.under_billing, total.earned_revenue
    (Decimal('100.00'), Decimal('200.00'), Decimal('700.00'))
    >>> total.percent_complete, total.margin_percent
    (Decimal('38.46'), Decimal('35.00'))
    """
    lines = list(lines)
    sums = {
        name: sum((getattr(line, name) for line in lines), ZERO)
        for name in WipFigures.__dataclass_fields__
        if name not in PERCENT_FIGURES
    }
    ratio = completion_ratio(sums["cost_to_date"], sums["estimated_cost"])
    return WipFigures(
        **sums,
        percent_complete=_round(ratio * HUNDRED, PERCENT),
        margin_percent=_margin(sums["gross_profit"], sums["contract_value"]),
    )


@dataclass(frozen=True)
class WipInput:
    """What the database gives for one job (``key``: the caller's, e.g. its id)."""

    job: str
    name: str
    contract_value: Decimal
    estimated_cost: Decimal
    cost_to_date: Decimal
    billed_to_date: Decimal
    key: object = None


def _number(value: Decimal, quantum: Decimal):
    return int(value) if quantum >= 1 else float(_round(value, quantum))


def figures_dict(figures: WipFigures, rounding="0.01"):
    """The figures as JSON numbers: amounts to the currency, percents to 0.01."""
    quantum = Decimal(str(rounding))
    return {
        name: float(value) if name in PERCENT_FIGURES else _number(value, quantum)
        for name, value in figures.as_dict().items()
    }


def wip_schedule(rows, rounding="0.01"):
    """[(WipInput, WipFigures)] of ``rows`` (WipInput), and their totals."""
    lines = [
        (
            row,
            wip_line(
                row.contract_value,
                row.estimated_cost,
                row.cost_to_date,
                row.billed_to_date,
                rounding,
            ),
        )
        for row in rows
    ]
    return lines, wip_totals(figures for _row, figures in lines)


def wip_body(as_of: date, company, currency, rows, rounding="0.01"):
    """The body of ``GET /construction/api/v1/wip``: the contract's keys, and
    as additions ``company``, each job's ``name``, ``margin_percent``,
    ``loss_provision`` and ``gross_profit_to_date``.

    >>> body = wip_body(date(2026, 11, 30), "GC", "USD",
    ...     [WipInput("J-1", "Tower", 1000, 800, 200, 300.004)])
    >>> body["jobs"][0]["percent_complete"], body["jobs"][0]["over_billing"]
    (25.0, 50.0)
    >>> body["totals"]["billed_to_date"], body["as_of"]
    (300.0, '2026-11-30')
    """
    lines, totals = wip_schedule(rows, rounding)
    return {
        "as_of": as_of.isoformat(),
        "company": company,
        "currency": currency,
        "jobs": [
            {"job": row.job, "name": row.name, **figures_dict(figures, rounding)}
            for row, figures in lines
        ],
        "totals": figures_dict(totals, rounding),
    }
