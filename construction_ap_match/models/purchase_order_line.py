from odoo import models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    def write(self, vals):
        """A changed price or quantity re-matches the draft bills of the line."""
        result = super().write(vals)
        if {"price_unit", "product_qty", "qty_received_manual"} & set(vals):
            self.env["account.move"]._construction_rematch_for_po_lines(self)
        return result
