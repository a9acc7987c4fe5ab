from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class ConstructionCommitmentChangeLine(models.Model):
    """A quantity and/or unit price delta on an order line, or a new line."""

    _name = "construction.commitment.change.line"
    _description = "Commitment Change Order Line"
    _inherit = ["construction.job.mixin"]
    _order = "change_id, id"

    change_id = fields.Many2one(
        "construction.commitment.change", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="change_id.company_id", store=True)
    currency_id = fields.Many2one(related="change_id.currency_id")
    purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Order Line",
        domain="[('order_id', '=', parent.purchase_order_id), ('display_type', '=', False)]",
        help="Empty to add a new line to the order.",
    )
    product_id = fields.Many2one("product.product", help="For a new line.")
    name = fields.Char(string="Description")
    qty_delta = fields.Float(string="Quantity Change", digits="Product Unit of Measure")
    price_delta = fields.Float(string="Unit Price Change", digits="Product Price")
    price_unit = fields.Float(string="Unit Price (new line)", digits="Product Price")
    amount_delta = fields.Monetary(compute="_compute_amount_delta", store=True)

    @api.depends("purchase_line_id", "qty_delta", "price_delta", "price_unit")
    def _compute_amount_delta(self):
        for line in self:
            if line.purchase_line_id:
                po_line = line.purchase_line_id
                new_qty = po_line.product_qty + line.qty_delta
                new_price = po_line.price_unit + line.price_delta
                line.amount_delta = new_qty * new_price - po_line.product_qty * po_line.price_unit
            else:
                line.amount_delta = line.qty_delta * line.price_unit

    @api.constrains("purchase_line_id", "product_id", "qty_delta", "price_unit")
    def _check_line(self):
        for line in self:
            if not line.purchase_line_id and (not line.product_id or line.qty_delta <= 0):
                raise ValidationError(
                    _(
                        "%(change)s: a new line needs a product and a positive quantity.",
                        change=line.change_id.name,
                    )
                )
            if line.purchase_line_id and not line.qty_delta and not line.price_delta:
                raise ValidationError(
                    _(
                        "%(change)s, line %(line)s: change the quantity or the price.",
                        change=line.change_id.name,
                        line=line.purchase_line_id.name,
                    )
                )

    def _apply(self):
        """Write the deltas on the order; return a text per line for the history."""
        history = []
        order = self.change_id.purchase_order_id
        new_lines = []
        for line in self:
            po_line = line.purchase_line_id
            if po_line:
                new_qty = po_line.product_qty + line.qty_delta
                floor = max(po_line.qty_received, po_line.qty_invoiced)
                if (
                    float_compare(new_qty, floor, precision_rounding=po_line.product_uom.rounding)
                    < 0
                ):
                    raise UserError(
                        _(
                            "%(change)s, line %(line)s: the quantity cannot go below what is "
                            "already received or billed (%(floor)s).",
                            change=line.change_id.name,
                            line=po_line.name,
                            floor=floor,
                        )
                    )
                history.append(
                    _(
                        "%(line)s: quantity %(old_qty)s to %(new_qty)s, unit price %(old_price)s "
                        "to %(new_price)s",
                        line=po_line.name,
                        old_qty=po_line.product_qty,
                        new_qty=new_qty,
                        old_price=po_line.price_unit,
                        new_price=po_line.price_unit + line.price_delta,
                    )
                )
                po_line.write(
                    {"product_qty": new_qty, "price_unit": po_line.price_unit + line.price_delta}
                )
            else:
                new_lines.append(
                    {
                        "order_id": order.id,
                        "product_id": line.product_id.id,
                        "name": line.name or line.product_id.display_name,
                        "product_qty": line.qty_delta,
                        "product_uom": line.product_id.uom_po_id.id,
                        "price_unit": line.price_unit,
                        "job_id": (line.job_id or order.job_id).id,
                        "phase_id": line.phase_id.id,
                        "cost_code_id": line.cost_code_id.id,
                    }
                )
                history.append(
                    _(
                        "New line %(line)s: %(qty)s at %(price)s",
                        line=line.name or line.product_id.display_name,
                        qty=line.qty_delta,
                        price=line.price_unit,
                    )
                )
        if new_lines:
            self.env["purchase.order.line"].create(new_lines)
        return history
