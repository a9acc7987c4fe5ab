from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """Bills waiting for these goods match again once they are received."""
        result = super()._action_done()
        po_lines = self.filtered(lambda p: p.state == "done").move_ids.purchase_line_id
        if po_lines:
            self.env["account.move"]._construction_rematch_for_po_lines(po_lines)
        return result
