from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..domain.report_api import parse_as_of


class ReportJobCost(models.AbstractModel):
    """The job cost report of jobs on paper.

    The figures are the body of the job cost read API
    (``construction.job.cost.report._api_job_cost``), rounded the same way,
    so that the PDF, the API and the ERP integration never disagree; this
    model only adds the names of the phases, cost codes and cost types and
    groups the lines by phase.
    """

    _name = "report.construction_job_costing.report_job_cost"
    _description = "Job Cost Report (PDF)"

    @api.model
    def _report_as_of(self, data):
        """The date of the report: ``data["as_of"]``, else the context's
        ``job_cost_as_of``, else today."""
        value = (data or {}).get("as_of") or self.env.context.get("job_cost_as_of")
        if isinstance(value, date):
            return value
        today = fields.Date.context_today(self)
        as_of, problem = parse_as_of(value, today)
        if problem:
            raise UserError(_("The job cost report cannot be printed: %s", problem))
        return as_of

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["construction.job.cost.report"].check_access("read")
        jobs = self.env["project.project"].browse(docids)
        jobs.check_access("read")
        not_jobs = jobs.filtered(lambda project: not project.is_job)
        if not_jobs:
            raise UserError(
                _(
                    "%s is not a construction job: only jobs (projects with a job code) "
                    "have a job cost report.",
                    ", ".join(not_jobs.mapped("display_name")),
                )
            )
        as_of = self._report_as_of(data)
        report = self.env["construction.job.cost.report"]
        reports = {
            job.id: report.with_company(job.company_id)._api_job_cost(job, as_of) for job in jobs
        }
        return {
            "doc_ids": jobs.ids,
            "doc_model": "project.project",
            "docs": jobs,
            "as_of": as_of,
            "reports": self._report_documents(jobs, reports),
            "amount": self._format_amount,
            "percent": self._format_percent,
        }

    @api.model
    def _report_documents(self, jobs, bodies):
        """{job id: what the template shows}: the API body of the job with
        its lines grouped by phase and the names of phases, cost codes and
        cost types. One search for the phases and one for the cost codes of
        all the jobs."""
        phases = (
            self.env["construction.phase"]
            .with_context(active_test=False)
            .search([("project_id", "in", jobs.ids)])
        )
        phase_names = {(phase.project_id.id, phase.code): phase.name for phase in phases}
        codes = {
            line["cost_code"]
            for body in bodies.values()
            for line in body["lines"]
            if line["cost_code"]
        }
        cost_codes = (
            self.env["construction.cost.code"]
            .with_context(active_test=False)
            .search([("code", "in", list(codes)), ("company_id", "in", jobs.company_id.ids)])
            if codes
            else self.env["construction.cost.code"]
        )
        code_names = {(code.company_id.id, code.code): code.name for code in cost_codes}
        cost_types = dict(
            self.env["construction.cost.code"]._fields["cost_type"]._description_selection(self.env)
        )
        documents = {}
        for job in jobs:
            body = bodies[job.id]
            subtotals = {phase["phase"]: phase for phase in body["phases"]}
            groups = []
            for line in body["lines"]:
                if not groups or groups[-1]["code"] != line["phase"]:
                    groups.append(
                        {
                            "code": line["phase"],
                            "name": phase_names.get((job.id, line["phase"]), ""),
                            "lines": [],
                            "subtotal": subtotals[line["phase"]],
                        }
                    )
                groups[-1]["lines"].append(
                    {
                        **line,
                        "cost_code_name": code_names.get(
                            (job.company_id.id, line["cost_code"]), ""
                        ),
                        "cost_type_name": cost_types.get(line["cost_type"], ""),
                    }
                )
            documents[job.id] = {
                "body": body,
                "currency": job.company_id.currency_id,
                "phases": groups,
                "cost_types": [
                    {**row, "name": cost_types.get(row["cost_type"]) or _("Uncoded")}
                    for row in body["cost_types"]
                ],
            }
        return documents

    def _format_amount(self, value, currency):
        """An amount of the report, grouped and with the currency's decimals
        (the currency itself is named once, in the header)."""
        return formatLang(self.env, value, digits=currency.decimal_places)

    def _format_percent(self, value):
        return formatLang(self.env, value, digits=1) + "\N{NO-BREAK SPACE}%"
