from odoo import _, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def action_open_job_cost_source(self):
        """The document behind an actual cost: the bill, or the timesheet itself."""
        self.ensure_one()
        move = self.move_line_id.move_id
        if move:
            return {
                "type": "ir.actions.act_window",
                "name": move.display_name,
                "res_model": "account.move",
                "res_id": move.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "name": _("Cost line"),
            "res_model": "account.analytic.line",
            "res_id": self.id,
            "view_mode": "form",
        }
