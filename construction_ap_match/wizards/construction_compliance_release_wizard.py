from odoo import fields, models


class ConstructionComplianceReleaseWizard(models.TransientModel):
    _name = "construction.compliance.release.wizard"
    _description = "Release a Payment Despite Compliance Gaps"

    move_id = fields.Many2one("account.move", string="Bill", required=True, readonly=True)
    gaps = fields.Text(related="move_id.construction_compliance_gaps")
    reason = fields.Text(required=True)

    def action_release(self):
        self.ensure_one()
        self.move_id._construction_release_compliance(self.reason)
        return {"type": "ir.actions.act_window_close"}
