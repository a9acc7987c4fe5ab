from odoo import _, fields, models
from odoo.exceptions import UserError

REASONS = [
    ("price_over_tolerance", "Price over tolerance"),
    ("qty_over_received", "Quantity over received"),
    ("qty_over_ordered", "Quantity over ordered"),
    ("no_purchase_order", "No purchase order"),
    ("po_cancelled", "Purchase order cancelled"),
    ("po_fully_billed", "Purchase order fully billed"),
    ("vendor_mismatch", "Vendor differs from PO"),
    ("coding_mismatch", "Job / phase / cost code differs from PO line"),
    ("total_mismatch", "Bill total mismatch"),
    ("possible_duplicate", "Possible duplicate"),
    ("duplicate", "Duplicate"),
]


class ConstructionMatchException(models.Model):
    """One reason a bill does not match, with its figures and the person who fixes it."""

    _name = "construction.match.exception"
    _description = "AP Match Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Bill", required=True, index=True, ondelete="cascade"
    )
    move_line_id = fields.Many2one("account.move.line", string="Bill Line", ondelete="cascade")
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True)
    purchase_line_id = fields.Many2one("purchase.order.line", string="PO Line")
    purchase_order_id = fields.Many2one(related="purchase_line_id.order_id", store=True)
    job_id = fields.Many2one(related="move_line_id.job_id", store=True)
    reason = fields.Selection(REASONS, required=True, index=True, tracking=True)
    severity = fields.Selection(
        [("warn", "Warning"), ("block", "Blocking")], required=True, tracking=True
    )
    expected = fields.Float(digits="Product Price")
    actual = fields.Float(digits="Product Price")
    variance = fields.Float(digits="Product Price")
    message = fields.Char(required=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("overridden", "Overridden")],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    owner_id = fields.Many2one("res.users", string="Owner", tracking=True, index=True)
    override_reason = fields.Text(readonly=True, tracking=True)
    overridden_by = fields.Many2one("res.users", readonly=True)
    overridden_date = fields.Datetime(readonly=True)

    def _compute_display_name(self):
        labels = dict(REASONS)
        for exception in self:
            exception.display_name = f"{exception.move_id.name or ''}: {labels[exception.reason]}"

    def _check_can_override(self):
        user = self.env.user
        if not user.has_group("construction_base.group_controller") and not user.has_group(
            "account.group_account_manager"
        ):
            raise UserError(
                _("Only an Accounts Payable manager (Controller) may override match exceptions.")
            )
        for exception in self:
            if exception.state != "open":
                raise UserError(_("Exception %s is not open.", exception.display_name))
            if exception.reason == "duplicate":
                raise UserError(
                    _(
                        "%s is a duplicate of another bill: cancel one of them instead of "
                        "overriding.",
                        exception.move_id.name,
                    )
                )
            buyer = exception.purchase_order_id.user_id
            if exception.reason == "price_over_tolerance" and buyer == user:
                raise UserError(
                    _(
                        "You issued %(order)s: its price exception needs another person's "
                        "override (segregation of duties).",
                        order=exception.purchase_order_id.name,
                    )
                )

    def action_override(self, reason):
        """Accept the exception with a reason: the bill may then be posted and paid."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the override."))
        self._check_can_override()
        self.write(
            {
                "state": "overridden",
                "override_reason": reason.strip(),
                "overridden_by": self.env.user.id,
                "overridden_date": fields.Datetime.now(),
            }
        )
        for exception in self:
            exception.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=_("Overridden: %s", reason)
            )
            exception.move_id.message_post(
                body=_(
                    "Match exception overridden by %(user)s: %(message)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    message=exception.message,
                    reason=reason.strip(),
                )
            )
        self.move_id._construction_update_match_state()
        return True

    def action_open_override_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Override"),
            "res_model": "construction.match.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_exception_ids": self.ids},
        }

    def action_open_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
