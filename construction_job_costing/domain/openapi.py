"""OpenAPI paths and schemas of the job cost read API, added to the connector's
document through ``_openapi_extra``."""

from odoo.addons.construction_connector.domain.openapi import (
    API,
    SECURITY,
    _error_responses,
    _ok,
    _query,
    _ref,
)

from . import wip as wip_rules
from .costing import CostFigures

# The contract's figures of a job cost line, in the order of the body.
FIGURES = tuple(CostFigures().as_dict())
EXTRA_FIGURES = ("pending_changes", "percent_spent")
NULLABLE_TEXT = {"type": ["string", "null"]}


def _figures_schema(*keys):
    properties = {key: {"type": "number"} for key in FIGURES + EXTRA_FIGURES}
    properties.update({key: NULLABLE_TEXT for key in keys})
    return {
        "type": "object",
        "required": [*keys, *FIGURES],
        "properties": properties,
        "description": "Amounts in the company currency, rounded to it. committed is the "
        "open commitment (ordered, not yet billed); estimate_at_completion = actual + "
        "estimate_to_complete; variance = revised_budget - estimate_at_completion. "
        "pending_changes (cost of change orders not yet approved) and percent_spent "
        "(actual / revised budget x 100) are additions to the contract.",
    }


def job_cost_openapi():
    components = {
        "JobCostFigures": _figures_schema(),
        "JobCostLine": _figures_schema("phase", "cost_code", "cost_type"),
        "JobCostPhase": _figures_schema("phase"),
        "JobCostCostType": _figures_schema("cost_type"),
        "JobCost": {
            "type": "object",
            "required": ["job", "company", "currency", "as_of", "lines", "totals"],
            "properties": {
                "job": {"type": "string"},
                "company": {"type": "string"},
                "currency": {"type": "string"},
                "as_of": {"type": "string", "format": "date"},
                "lines": {"type": "array", "items": _ref("JobCostLine")},
                "totals": _ref("JobCostFigures"),
                "phases": {"type": "array", "items": _ref("JobCostPhase")},
                "cost_types": {"type": "array", "items": _ref("JobCostCostType")},
            },
        },
    }
    paths = {
        f"{API}/jobs/{{code}}/cost": {
            "get": {
                "operationId": "getJobCost",
                "summary": "Budget, committed, actual and forecast of a job by phase and code",
                "description": "Only documents dated on or before as_of count. phases and "
                "cost_types roll the lines up (additions to the contract).",
                "security": SECURITY,
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1},
                        "description": "The job code (for example J-1001). Unknown: 404.",
                    },
                    _query(
                        "as_of",
                        {"type": "string", "format": "date"},
                        "YYYY-MM-DD; default today. Malformed: 422 naming as_of.",
                    ),
                    _query(
                        "company",
                        {"type": "string"},
                        "Company name or id the user may use; default the user's company, "
                        "then any of the user's companies. Not one of them: 403.",
                    ),
                ],
                "responses": {
                    **_ok("The job cost report.", _ref("JobCost")),
                    **_error_responses(401, 403, 404, 422),
                },
            }
        }
    }
    return {"paths": paths, "components": components}


# The WIP's figures are the domain's: the document cannot drift from the body.
WIP_FIGURES = wip_rules.CONTRACT_FIGURES
WIP_EXTRA_FIGURES = wip_rules.EXTRA_FIGURES
WIP_DESCRIPTION = (
    "Amounts in the company currency, rounded to it. contract_value: with the owner change "
    "orders approved by as_of; cost_to_date: actual cost by as_of; estimated_cost: estimate "
    "at completion (cost to date + estimate to complete); percent_complete: cost_to_date / "
    "estimated_cost x 100, 0 to 100 (0 when estimated_cost is 0), two decimals; "
    "earned_revenue: percent complete x contract_value; billed_to_date: posted customer "
    "invoices less credit notes dated by as_of, untaxed, without retention; over_billing = "
    "max(billed - earned, 0) (a liability); under_billing = max(earned - billed, 0) (an "
    "asset); cost_to_complete = estimated_cost - cost_to_date; gross_profit = contract_value "
    "- estimated_cost (estimated at completion). Additions to the contract: margin_percent = "
    "gross_profit / contract_value x 100; loss_provision = (estimated_cost - contract_value) "
    "x (1 - percent_complete / 100) on a job whose estimated cost exceeds its contract, else "
    "0; gross_profit_to_date = earned_revenue - cost_to_date - loss_provision (a loss job's "
    "whole loss). Totals sum the lines; their percent_complete and margin_percent are "
    "recomputed from the sums."
)


def _wip_figures_schema(*keys):
    properties = {key: {"type": "number"} for key in WIP_FIGURES + WIP_EXTRA_FIGURES}
    properties["percent_complete"] = {"type": "number", "minimum": 0, "maximum": 100}
    properties.update({key: {"type": "string"} for key in keys})
    return {
        "type": "object",
        "required": [*keys, *WIP_FIGURES],
        "properties": properties,
        "description": WIP_DESCRIPTION,
    }


def wip_openapi():
    """The path and schemas of GET /wip."""
    components = {
        "WipFigures": _wip_figures_schema(),
        "WipJob": {
            **_wip_figures_schema("job"),
            "properties": {
                **_wip_figures_schema("job")["properties"],
                "name": {"type": "string", "description": "The job's name (an addition)."},
            },
        },
        "Wip": {
            "type": "object",
            "required": ["as_of", "currency", "jobs", "totals"],
            "properties": {
                "as_of": {"type": "string", "format": "date"},
                "currency": {"type": "string"},
                "company": {"type": "string", "description": "The company (an addition)."},
                "jobs": {"type": "array", "items": _ref("WipJob")},
                "totals": _ref("WipFigures"),
            },
        },
    }
    paths = {
        f"{API}/wip": {
            "get": {
                "operationId": "getWip",
                "summary": "The WIP schedule: percent complete, earned revenue, over and "
                "under billing of every job of a company",
                "description": "One line per job of the company with a contract, a cost or a "
                "billing by as_of, in job code order; a closed job drops out after the "
                "calendar month in which it closed. Only documents dated on or before as_of "
                "count.",
                "security": SECURITY,
                "parameters": [
                    _query(
                        "as_of",
                        {"type": "string", "format": "date"},
                        "YYYY-MM-DD; default today. Malformed: 422 naming as_of.",
                    ),
                    _query(
                        "company",
                        {"type": "string"},
                        "Company name or id the user may use; default the user's company. "
                        "Not one of them: 403.",
                    ),
                ],
                "responses": {
                    **_ok("The WIP schedule.", _ref("Wip")),
                    **_error_responses(401, 403, 422),
                },
            }
        }
    }
    return {"paths": paths, "components": components}
