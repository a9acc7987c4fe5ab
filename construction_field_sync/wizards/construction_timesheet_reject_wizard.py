from odoo import api, fields, models


class ConstructionTimesheetRejectWizard(models.TransientModel):
    """Reject field time with the reason the crew's foreman reads in the app."""

    _name = "construction.timesheet.reject.wizard"
    _description = "Reject Field Time"

    line_ids = fields.Many2many("account.analytic.line", string="Time", required=True)
    line_count = fields.Integer(compute="_compute_summary")
    hours = fields.Float(compute="_compute_summary")
    reason = fields.Text(required=True)

    @api.depends("line_ids")
    def _compute_summary(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)
            wizard.hours = sum(wizard.line_ids.mapped("unit_amount"))

    def action_reject(self):
        self.ensure_one()
        self.line_ids.action_field_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
