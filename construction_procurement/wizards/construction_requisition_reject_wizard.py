from odoo import fields, models


class ConstructionRequisitionRejectWizard(models.TransientModel):
    _name = "construction.requisition.reject.wizard"
    _description = "Reject a Requisition"

    requisition_id = fields.Many2one("construction.requisition", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.requisition_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
