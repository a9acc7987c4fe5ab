from odoo import _, fields, models


class ProjectProject(models.Model):
    """Open retention of a job: what the owner still holds on its progress invoices
    (receivable) and what the job's subcontract bills still hold (payable)."""

    _inherit = "project.project"

    construction_retention_receivable_open = fields.Monetary(
        string="Open Retention Receivable",
        compute="_compute_construction_retention_open",
        currency_field="currency_id",
    )
    construction_retention_payable_open = fields.Monetary(
        string="Open Retention Payable",
        compute="_compute_construction_retention_open",
        currency_field="currency_id",
    )

    def _compute_construction_retention_open(self):
        jobs = self.filtered("is_job")
        Ledger = self.env["construction.retention.ledger"]
        receivable = Ledger._open_by("receivable", "job_id", jobs)
        payable = Ledger._open_by("payable", "job_id", jobs)
        for project in self:
            project.construction_retention_receivable_open = receivable.get(project, 0.0)
            project.construction_retention_payable_open = payable.get(project, 0.0)

    def action_view_retention(self):
        self.ensure_one()
        side = self.env.context.get("retention_side") or "receivable"
        return self.env["construction.retention.ledger"]._action_for(
            [("job_id", "=", self.id)],
            _("Retention: %s", self.display_name),
            {"search_default_%s" % side: 1},
        )

    def action_open_retention_release(self):
        self.ensure_one()
        return self.env["construction.retention.release.wizard"]._open_for(self)
