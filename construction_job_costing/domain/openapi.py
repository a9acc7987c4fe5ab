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

FIGURES = (
    "original_budget",
    "approved_changes",
    "revised_budget",
    "committed",
    "actual",
    "estimate_to_complete",
    "estimate_at_completion",
    "variance",
)
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
