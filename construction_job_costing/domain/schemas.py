"""Payload of the job costing message types (contract: "Inbound message types")."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from odoo.addons.construction_connector.domain.schemas import (
    Amount,
    Code,
    OptionalCode,
    OptionalText,
    Payload,
    _field_error,
)

from .budget_import import MAX_ROWS, duplicate_keys

BudgetQuantity = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class BudgetLinePayload(Payload):
    """One line of a ``master.budget``; without ``phase`` it is a job-level line."""

    cost_code: Code
    amount: Amount
    phase: OptionalCode = None
    quantity: BudgetQuantity | None = None
    uom: OptionalText = None
    description: OptionalText = None


class BudgetPayload(Payload):
    """``master.budget``: replaces the draft budget of the job ``project``."""

    project: Code
    lines: Annotated[list[BudgetLinePayload], Field(min_length=1, max_length=MAX_ROWS)]

    @model_validator(mode="after")
    def _check_unique_lines(self) -> BudgetPayload:
        repeated = duplicate_keys((line.phase, line.cost_code) for line in self.lines)
        if repeated:
            index = min(repeated)
            line = self.lines[index]
            raise _field_error(
                "BudgetPayload",
                ("lines", index, "cost_code"),
                "Phase {phase} and cost code {code} are already budgeted by lines.{first}",
                line.cost_code,
                phase=line.phase or "(none)",
                code=line.cost_code,
                first=repeated[index],
            )
        return self


def register_job_costing_types(registry):
    registry.register(
        "master.budget",
        BudgetPayload,
        "master_budget",
        # Messages of one job apply one after the other, in occurred_at order.
        lambda p: ("master.budget", p.project),
    )
    return registry
