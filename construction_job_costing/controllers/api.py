"""The job cost read API (contract: "Job cost read API")."""

from odoo import fields, http
from odoo.addons.construction_connector.controllers.api import (
    API,
    api_route,
    error_response,
    json_response,
)
from odoo.addons.construction_connector.domain.errors import INVALID_VALUE
from odoo.http import request

from ..domain.report_api import parse_as_of

MAX_CODE = 64


def resolve_company(value):
    """The company named by ``company=`` (name or id) among the user's, the
    user's own when absent; None when the user may not use it."""
    user = request.env.user
    if value in (None, ""):
        return user.company_id
    if value.isdigit():
        company = user.company_ids.filtered(lambda c: str(c.id) == value)
    else:
        company = user.company_ids.filtered(lambda c: c.name == value)
    return company[:1] or None


class JobCostApi(http.Controller):
    @api_route(f"{API}/jobs/<path:code>/cost", methods=["GET"])
    def job_cost(self, code, **params):
        """Budget, committed, actual and forecast of one job, per phase and cost code.

        ``<path:code>``: any text reaches here, so that a code no job has is a
        JSON 404 like any unknown job, never Odoo's HTML page."""
        as_of, problem = parse_as_of(
            params.get("as_of"), fields.Date.context_today(request.env.user)
        )
        if problem:
            return error_response(422, INVALID_VALUE, problem, "as_of")
        company = resolve_company(params.get("company"))
        if company is None:
            return error_response(
                403,
                "forbidden_company",
                f"Company {params.get('company')[:64]!r} is not one this user may use.",
            )
        job = request.env["project.project"].browse()
        if 0 < len(code) <= MAX_CODE and "\x00" not in code:
            companies = company if params.get("company") else request.env.user.company_ids
            jobs = (
                request.env["project.project"]
                .with_context(active_test=False, allowed_company_ids=companies.ids)
                .search([("job_code", "=", code), ("company_id", "in", companies.ids)])
            )
            job = jobs.filtered(lambda j: j.company_id == company)[:1] or jobs[:1]
        if not job:
            return error_response(404, "not_found", f"No job {code[:64]!r}.")
        report = request.env["construction.job.cost.report"].with_company(job.company_id)
        return json_response(report._api_job_cost(job, as_of))
