from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..domain.report_api import parse_as_of


class ReportWip(models.AbstractModel):
    """The WIP schedule on paper: one document per company, its jobs and totals.

    The figures are the body of the read API (``_api_wip``), rounded the same
    way, so that the PDF and the API never disagree.
    """

    _name = "report.construction_job_costing.report_wip"
    _description = "WIP Schedule (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["construction.wip.report"].check_access("read")
        companies = self.env["res.company"].browse(docids)
        forbidden = companies - self.env.user.company_ids
        if forbidden:
            raise UserError(
                _(
                    "You may not print the WIP schedule of %s: it is not one of your companies.",
                    ", ".join(forbidden.mapped("name")),
                )
            )
        value = (data or {}).get("as_of") or self.env.context.get("wip_as_of")
        as_of, problem = parse_as_of(value, fields.Date.context_today(self))
        if problem:
            raise UserError(_("The WIP schedule cannot be printed: %s", problem))
        report = self.env["construction.wip.report"]
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "as_of": as_of,
            "bodies": {
                company.id: report.with_company(company)._api_wip(company, as_of)
                for company in companies
            },
            "amount": self._format_amount,
            "percent": self._format_percent,
        }

    def _format_amount(self, value, currency):
        return formatLang(self.env, value, digits=currency.decimal_places)

    def _format_percent(self, value):
        return formatLang(self.env, value, digits=1) + "\N{NO-BREAK SPACE}%"
