"""Job cost arithmetic: the figures of one job cost line, rollups, budget check
and change-order approval tiers. Pure Python on Decimal: no Odoo import.

A job cost line is one (job, phase, cost code). Its figures:

- revised budget = original + approved change orders + approved transfers
- committed = the open commitment (ordered, not yet billed); never actual
- actual = posted costs (bills, timesheets, equipment) on the line
- estimate to complete (ETC) = max(revised - actual - committed, 0) + committed,
  unless a project manager's forecast revision overrides it
- estimate at completion (EAC) = actual + ETC; variance = revised - EAC
- percent spent = actual / revised x 100 (0 when nothing is budgeted)

The web client computes the same per line in SQL (the report view), so that
its pivot can sum them; this module is what the read API, the PDF and the
budget check use, and what the tests hold the SQL to.
"""

from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
BUDGET_CHECK_MODES = (("off", "Off"), ("warn", "Warn"), ("block", "Block"))


def dec(value) -> Decimal:
    """A Decimal of a float, int, str or Decimal (None and False are 0)."""
    if value is None or value is False:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def default_etc(revised, actual, committed) -> Decimal:
    """Estimate to complete when no forecast overrides it.

    >>> default_etc(1000, 300, 200)
    Decimal('700')
    >>> default_etc(1000, 900, 300)   # over budget: what is committed still comes
    Decimal('300')
    """
    revised, actual, committed = dec(revised), dec(actual), dec(committed)
    return max(revised - actual - committed, ZERO) + committed


@dataclass(frozen=True)
class CostFigures:
    """The summable figures of a job cost line, or of a rollup of lines."""

    original_budget: Decimal = ZERO
    change_orders: Decimal = ZERO
    transfers: Decimal = ZERO
    pending_changes: Decimal = ZERO
    committed: Decimal = ZERO
    actual: Decimal = ZERO
    estimate_to_complete: Decimal = ZERO

    @property
    def approved_changes(self) -> Decimal:
        return self.change_orders + self.transfers

    @property
    def revised_budget(self) -> Decimal:
        return self.original_budget + self.approved_changes

    @property
    def committed_actual(self) -> Decimal:
        return self.committed + self.actual

    @property
    def estimate_at_completion(self) -> Decimal:
        return self.actual + self.estimate_to_complete

    @property
    def variance(self) -> Decimal:
        return self.revised_budget - self.estimate_at_completion

    @property
    def percent_spent(self) -> Decimal:
        if not self.revised_budget:
            return ZERO
        return self.actual * 100 / self.revised_budget

    def __add__(self, other):
        return CostFigures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def rounded(self, rounding="0.01"):
        quantum = dec(rounding)
        return CostFigures(
            **{
                f.name: getattr(self, f.name).quantize(quantum, rounding=ROUND_HALF_UP)
                for f in fields(self)
            }
        )

    def as_dict(self):
        return {
            "original_budget": self.original_budget,
            "approved_changes": self.approved_changes,
            "revised_budget": self.revised_budget,
            "committed": self.committed,
            "actual": self.actual,
            "estimate_to_complete": self.estimate_to_complete,
            "estimate_at_completion": self.estimate_at_completion,
            "variance": self.variance,
        }


def line_figures(
    original_budget=0,
    change_orders=0,
    transfers=0,
    pending_changes=0,
    committed=0,
    actual=0,
    etc_override=None,
) -> CostFigures:
    """The figures of one line; ``etc_override`` is the latest forecast revision.

    >>> f = line_figures(original_budget=100000, change_orders=5000, committed=20000,
    ...                  actual=50000)
    >>> f.revised_budget, f.estimate_to_complete, f.estimate_at_completion, f.variance
    (Decimal('105000'), Decimal('55000'), Decimal('105000'), Decimal('0'))
    >>> line_figures(original_budget=1000, actual=400, etc_override=900).variance
    Decimal('-300')
    """
    figures = CostFigures(
        original_budget=dec(original_budget),
        change_orders=dec(change_orders),
        transfers=dec(transfers),
        pending_changes=dec(pending_changes),
        committed=dec(committed),
        actual=dec(actual),
    )
    etc = (
        dec(etc_override)
        if etc_override is not None and etc_override is not False
        else default_etc(figures.revised_budget, figures.actual, figures.committed)
    )
    return replace(figures, estimate_to_complete=etc)


@dataclass
class Rollup:
    """Lines summed by a key (phase, cost type, job), in first-seen order."""

    groups: dict = field(default_factory=dict)

    def add(self, key, figures: CostFigures):
        self.groups[key] = self.groups.get(key, CostFigures()) + figures

    def total(self) -> CostFigures:
        total = CostFigures()
        for figures in self.groups.values():
            total = total + figures
        return total


def rollup(lines, key):
    """``lines``: iterable of (line dict, CostFigures); ``key``: line dict -> group key.

    >>> lines = [({"phase": "P1"}, line_figures(100)), ({"phase": "P1"}, line_figures(50)),
    ...          ({"phase": "P2"}, line_figures(10))]
    >>> {k: v.original_budget for k, v in rollup(lines, lambda l: l["phase"]).groups.items()}
    {'P1': Decimal('150'), 'P2': Decimal('10')}
    """
    result = Rollup()
    for line, figures in lines:
        result.add(key(line), figures)
    return result


# ----------------------------------------------------------------------
# Budget check
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class Overrun:
    key: tuple
    budget: Decimal
    committed: Decimal
    actual: Decimal
    new_amount: Decimal
    allowed: Decimal

    @property
    def overrun(self) -> Decimal:
        """How far committed + actual + new goes beyond the revised budget."""
        return self.committed + self.actual + self.new_amount - self.budget


def budget_overruns(new_amounts, current, tolerance_percent=0):
    """Lines where committed + actual + the new amount exceeds the budget.

    ``new_amounts``: {key: amount to commit}; ``current``: {key: (revised budget,
    committed, actual)} (a key missing there has no budget). The tolerance
    allows that % over the revised budget; exactly at the limit passes.

    >>> over = budget_overruns({"a": 300}, {"a": (1000, 500, 300)})
    >>> over[0].overrun
    Decimal('100')
    >>> budget_overruns({"a": 300}, {"a": (1000, 500, 300)}, tolerance_percent=10)
    []
    >>> budget_overruns({"b": 1}, {})[0].budget
    Decimal('0')
    """
    tolerance = dec(tolerance_percent)
    overruns = []
    for key, amount in new_amounts.items():
        amount = dec(amount)
        if amount <= 0:
            continue
        budget, committed, actual = (dec(v) for v in current.get(key, (0, 0, 0)))
        allowed = budget * (1 + tolerance / 100)
        if committed + actual + amount > allowed:
            overruns.append(Overrun(key, budget, committed, actual, amount, allowed))
    return overruns


# ----------------------------------------------------------------------
# Change orders and transfers
# ----------------------------------------------------------------------


def change_order_needs_controller(cost_delta, price_delta, pm_limit) -> bool:
    """A project manager approves change orders up to ``pm_limit`` (the larger of
    the absolute cost and price deltas); above it, a controller. A limit of 0
    means every change order needs a controller.

    >>> change_order_needs_controller(20000, 25000, 25000)
    False
    >>> change_order_needs_controller(-30000, 0, 25000)
    True
    """
    size = max(abs(dec(cost_delta)), abs(dec(price_delta)))
    return size > dec(pm_limit)


def transfer_shortfall(from_revised, from_committed, from_actual, amount) -> Decimal:
    """How far a transfer would take its source line below committed + actual
    (0 when it stays at or above).

    >>> transfer_shortfall(10000, 3000, 4000, 3000)
    Decimal('0')
    >>> transfer_shortfall(10000, 3000, 4000, 3500)
    Decimal('500')
    """
    remaining = dec(from_revised) - dec(amount)
    floor = dec(from_committed) + dec(from_actual)
    return max(floor - remaining, ZERO)
