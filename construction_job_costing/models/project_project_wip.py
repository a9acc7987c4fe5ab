from odoo import _, fields, models

from .construction_wip_report import BILLING_MOVE_TYPES


class ProjectProject(models.Model):
    """The job's WIP figures as of today, for the smart buttons of the job form."""

    _inherit = "project.project"

    wip_billed_to_date = fields.Monetary(
        string="Billed to Date", compute="_compute_wip_figures", currency_field="currency_id"
    )
    wip_over_billing = fields.Monetary(
        string="Over Billing", compute="_compute_wip_figures", currency_field="currency_id"
    )
    wip_under_billing = fields.Monetary(
        string="Under Billing", compute="_compute_wip_figures", currency_field="currency_id"
    )

    def _compute_wip_figures(self):
        """One query of the WIP view for all the jobs of ``self``."""
        jobs = self.filtered(lambda p: p.is_job and p.id)
        figures = self.env["construction.wip.report"]._job_figures(jobs) if jobs else {}
        for project in self:
            line = figures.get(project.id)
            project.wip_billed_to_date = line.billed_to_date if line else 0
            project.wip_over_billing = line.over_billing if line else 0
            project.wip_under_billing = line.under_billing if line else 0

    def _wip_billing_domain(self):
        """The journal items billed on the job: its customer invoice and
        credit note lines (by job, or by the job's analytic account when the
        line names no job), retention left out."""
        self.ensure_one()
        belongs = [("job_id", "=", self.id)]
        if self.account_id:
            belongs = [
                "|",
                ("job_id", "=", self.id),
                "&",
                ("job_id", "=", False),
                ("analytic_distribution", "in", self.account_id.ids),
            ]
        return [
            *belongs,
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", BILLING_MOVE_TYPES),
            ("display_type", "=", "product"),
            ("construction_retention_kind", "=", False),
            ("company_id", "=", self.company_id.id),
        ]

    def action_view_wip_billing(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Billed: %s", self.display_name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": self._wip_billing_domain(),
            "context": {"create": False},
        }

    def action_view_wip(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_job_costing.construction_wip_report_action"
        )
        action["domain"] = [("job_id", "=", self.id)]
        action["display_name"] = _("WIP: %s", self.display_name)
        return action
