from odoo import fields, models


class ConstructionMatchOverrideWizard(models.TransientModel):
    _name = "construction.match.override.wizard"
    _description = "Override Match Exceptions"

    exception_ids = fields.Many2many(
        "construction.match.exception",
        "construction_match_override_exception_rel",
        "wizard_id",
        "exception_id",
        required=True,
    )
    reason = fields.Text(required=True)

    def action_override(self):
        self.ensure_one()
        self.exception_ids.action_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
