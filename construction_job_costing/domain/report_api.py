"""The bodies of the job cost read API (contract: "Job cost read API"), pure.

Lines are (phase code or None, cost code or None, cost type or None,
CostFigures); amounts are rounded to the company currency and given as JSON
numbers. Beyond the contract, each line and total also carries
``pending_changes`` (cost of change orders not yet approved) and
``percent_spent``, and the body has rollups ``phases`` and ``cost_types``.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .costing import CostFigures, rollup


def parse_as_of(value, today):
    """(date, None) or (None, error text) for the ``as_of`` query parameter.

    >>> parse_as_of("2026-11-20", date(2026, 12, 1))
    (datetime.date(2026, 11, 20), None)
    >>> parse_as_of(None, date(2026, 12, 1))[0]
    datetime.date(2026, 12, 1)
    >>> parse_as_of("20/11/2026", date(2026, 12, 1))[1]
    'as_of must be a date written YYYY-MM-DD.'
    """
    if value in (None, ""):
        return today, None
    if not isinstance(value, str) or len(value) != 10:
        return None, "as_of must be a date written YYYY-MM-DD."
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, "as_of must be a date written YYYY-MM-DD."


def _number(value: Decimal, quantum: Decimal):
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return int(rounded) if quantum >= 1 else float(rounded)


def figures_dict(figures: CostFigures, rounding="0.01"):
    """The contract's figures of a line or total, then the additions."""
    quantum = Decimal(str(rounding))
    figures = figures.rounded(quantum)
    body = {key: _number(value, quantum) for key, value in figures.as_dict().items()}
    body["pending_changes"] = _number(figures.pending_changes, quantum)
    body["percent_spent"] = float(figures.percent_spent.quantize(Decimal("0.01")))
    return body


def job_cost_body(job, company, currency, as_of, lines, rounding="0.01"):
    """The body of ``GET /jobs/<code>/cost``.

    >>> from .costing import line_figures
    >>> body = job_cost_body("J-1", "GC", "USD", date(2026, 11, 20),
    ...     [("P1", "03-300", "material", line_figures(1000, actual=250.555))])
    >>> body["lines"][0]["actual"], body["totals"]["estimate_to_complete"]
    (250.56, 749.45)
    """
    body_lines = []
    rounded_lines = []
    for phase, cost_code, cost_type, figures in lines:
        figures = figures.rounded(Decimal(str(rounding)))
        rounded_lines.append(({"phase": phase, "cost_type": cost_type}, figures))
        body_lines.append(
            {
                "phase": phase,
                "cost_code": cost_code,
                "cost_type": cost_type,
                **figures_dict(figures, rounding),
            }
        )
    phases = rollup(rounded_lines, lambda line: line["phase"])
    cost_types = rollup(rounded_lines, lambda line: line["cost_type"])
    return {
        "job": job,
        "company": company,
        "currency": currency,
        "as_of": as_of.isoformat(),
        "lines": body_lines,
        "totals": figures_dict(phases.total(), rounding),
        "phases": [
            {"phase": key, **figures_dict(value, rounding)} for key, value in phases.groups.items()
        ],
        "cost_types": [
            {"cost_type": key, **figures_dict(value, rounding)}
            for key, value in cost_types.groups.items()
        ],
    }
