from odoo import fields, models


class AccountAnalyticLine(models.Model):
    """Equipment hours are booked as analytic lines of the job (without a
    project, so not timesheets), linked back to the usage they book."""

    _inherit = "account.analytic.line"

    equipment_usage_id = fields.Many2one(
        "construction.equipment.usage",
        string="Equipment Usage",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="cascade",
    )
    equipment_id = fields.Many2one(
        related="equipment_usage_id.equipment_id", string="Equipment", readonly=True
    )

    def action_open_equipment_usage(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "construction.equipment.usage",
            "res_id": self.equipment_usage_id.id,
            "view_mode": "form",
        }
