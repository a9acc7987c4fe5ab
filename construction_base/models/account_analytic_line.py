from odoo import api, fields, models


class AccountAnalyticLine(models.Model):
    """The cost ledger: every analytic line of a job carries phase and cost code.

    The job follows from the line's project analytic account (the job's
    account); phase and cost code are stored and indexed so that job cost
    reports group on them in SQL.
    """

    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "construction.job.mixin"]

    job_id = fields.Many2one(
        compute="_compute_job_id",
        store=True,
        readonly=True,
        index="btree_not_null",
        domain=None,
    )

    @api.depends("account_id")
    def _compute_job_id(self):
        accounts = self.account_id
        jobs = (
            self.env["project.project"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_id", "in", accounts.ids), ("is_job", "=", True)])
            if accounts
            else self.env["project.project"]
        )
        job_by_account = {job.account_id.id: job.id for job in jobs}
        for line in self:
            line.job_id = job_by_account.get(line.account_id.id, False)
