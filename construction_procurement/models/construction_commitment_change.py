from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionCommitmentChange(models.Model):
    """A change order on a purchase order or subcontract: line deltas and new lines."""

    _name = "construction.commitment.change"
    _description = "Commitment Change Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: _("New"))
    purchase_order_id = fields.Many2one(
        "purchase.order",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', 'in', ('purchase', 'done'))]",
        tracking=True,
    )
    company_id = fields.Many2one(
        related="purchase_order_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="purchase_order_id.currency_id")
    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("construction.commitment.change.line", "change_id", copy=True)
    amount_delta = fields.Monetary(compute="_compute_amount_delta", store=True)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "construction.commitment.change"
                ) or _("New")
        return super().create(vals_list)

    @api.depends("line_ids.amount_delta")
    def _compute_amount_delta(self):
        for change in self:
            change.amount_delta = sum(change.line_ids.mapped("amount_delta"))

    def action_approve(self):
        """Apply the deltas to the order, keep the history in its chatter, and
        tell subscribers (``purchase_order.changed``)."""
        for change in self:
            if change.state != "draft":
                raise UserError(_("%s is not a draft change order.", change.name))
            order = change.purchase_order_id
            if order.state not in ("purchase", "done"):
                raise UserError(
                    _(
                        "%(change)s: %(order)s is not confirmed.",
                        change=change.name,
                        order=order.name,
                    )
                )
            if not change.line_ids:
                raise UserError(_("%s has no lines.", change.name))
            history = change.line_ids._apply()
            change.write(
                {
                    "state": "approved",
                    "approved_by": self.env.user.id,
                    "approved_date": fields.Datetime.now(),
                }
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                _(
                    "Change order %(change)s approved: %(reason)s",
                    change=change.name,
                    reason=change.reason,
                ),
                Markup("").join(Markup("<li>%s</li>") % escape(item) for item in history),
            )
            order.message_post(body=body)
            change.message_post(body=body)
        orders = self.purchase_order_id
        for order in orders:
            data = order._event_data()
            data["change_orders"] = self.filtered(
                lambda c, o=order: c.purchase_order_id == o
            ).mapped("name")
            self.env["construction.sync.outbound"].emit(
                "purchase_order.changed", order, {order.id: data}
            )
        return True

    def action_cancel(self):
        if self.filtered(lambda c: c.state == "approved"):
            raise UserError(_("An approved change order cannot be cancelled; make another."))
        self.write({"state": "cancelled"})
        return True
