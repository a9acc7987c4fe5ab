"""The WIP schedule over HTTP (contract: "Job cost read API", ``GET /wip``)."""

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
from .api import resolve_company


class WipApi(http.Controller):
    @api_route(f"{API}/wip", methods=["GET"])
    def wip(self, **params):
        """The WIP schedule of the user's company (or of ``company=``, one the
        user may use) as of ``as_of`` (default today): one line per job and
        the totals, amounts rounded to the company currency."""
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
        report = request.env["construction.wip.report"].with_company(company)
        return json_response(report._api_wip(company, as_of))
