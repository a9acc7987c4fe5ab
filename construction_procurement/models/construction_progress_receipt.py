from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain.commitment import over_receipt, progress_quantity


class ConstructionProgressReceipt(models.Model):
    """Work put in place on a service or subcontract line, which has no stock move.

    Its quantities make the line's received quantity, which three-way
    matching compares bills with.
    """

    _name = "construction.progress.receipt"
    _description = "Progress Receipt"
    _order = "date desc, id desc"
    _check_company_auto = True

    purchase_line_id = fields.Many2one(
        "purchase.order.line", required=True, index=True, ondelete="cascade", check_company=True
    )
    purchase_order_id = fields.Many2one(related="purchase_line_id.order_id", store=True)
    company_id = fields.Many2one(related="purchase_line_id.company_id", store=True, index=True)
    job_id = fields.Many2one(related="purchase_line_id.job_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    percent = fields.Float(string="Percent of the Line", help="Or give a quantity.")
    quantity = fields.Float(digits="Product Unit of Measure")
    received_by = fields.Many2one("res.users", default=lambda self: self.env.user, required=True)
    note = fields.Text()
    external_id = fields.Char(index="btree_not_null", copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["purchase.order.line"].browse(
            [vals["purchase_line_id"] for vals in vals_list if vals.get("purchase_line_id")]
        )
        by_id = {line.id: line for line in lines}
        for vals in vals_list:
            line = by_id.get(vals.get("purchase_line_id"))
            if line and vals.get("percent") and not vals.get("quantity"):
                vals["quantity"] = progress_quantity(line.product_qty, percent=vals["percent"])
        receipts = super().create(vals_list)
        receipts.purchase_line_id._sync_progress_received()
        return receipts

    def write(self, vals):
        result = super().write(vals)
        if {"quantity", "purchase_line_id"} & set(vals):
            self.purchase_line_id._sync_progress_received()
        return result

    def unlink(self):
        lines = self.purchase_line_id
        result = super().unlink()
        lines._sync_progress_received()
        return result

    @api.constrains("quantity", "purchase_line_id")
    def _check_quantity(self):
        for receipt in self:
            line = receipt.purchase_line_id
            if receipt.quantity <= 0:
                raise ValidationError(
                    _(
                        "%(order)s, line %(line)s: a progress receipt needs a positive quantity "
                        "or percent.",
                        order=line.order_id.name,
                        line=line.name,
                    )
                )
            if line.qty_received_method != "manual":
                raise ValidationError(
                    _(
                        "%(order)s, line %(line)s is received with the stock receipt, not with "
                        "progress receipts.",
                        order=line.order_id.name,
                        line=line.name,
                    )
                )
            if line.order_id.state not in ("purchase", "done"):
                raise ValidationError(
                    _("%s is not confirmed: nothing can be received on it.", line.order_id.name)
                )
            total = sum(line.progress_receipt_ids.mapped("quantity"))
            excess = over_receipt(
                line.product_qty, total, line.company_id.construction_over_receipt_percent
            )
            if excess:
                raise ValidationError(
                    _(
                        "%(order)s, line %(line)s: %(total)s received would exceed the ordered "
                        "%(ordered)s beyond the company's tolerance by %(excess)s.",
                        order=line.order_id.name,
                        line=line.name,
                        total=total,
                        ordered=line.product_qty,
                        excess=excess,
                    )
                )
