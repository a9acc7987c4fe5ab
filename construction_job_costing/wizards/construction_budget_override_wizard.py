from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionBudgetOverrideWizard(models.TransientModel):
    """A controller approves a requisition or confirms a purchase order over budget."""

    _name = "construction.budget.override.wizard"
    _description = "Approve Over Budget"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(required=True, readonly=True)
    method = fields.Char(required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model
    def _open(self, records, method):
        if not self.env.user.has_group("construction_base.group_controller"):
            raise UserError(_("Only a controller may approve over budget."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve over budget"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": records._name,
                "default_res_ids": records.ids,
                "default_method": method,
            },
        }

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for going over budget."))
        if self.method not in ("action_approve", "button_confirm") or self.res_model not in (
            "construction.requisition",
            "purchase.order",
        ):
            raise UserError(_("Nothing to approve over budget here."))
        records = (
            self.env[self.res_model]
            .browse(self.res_ids)
            .with_context(construction_budget_override_reason=self.reason.strip())
        )
        getattr(records, self.method)()
        return {"type": "ir.actions.act_window_close"}
