from odoo import fields, models


class ConstructionChangeOrderLine(models.Model):
    """The schedule of values line a price change goes to when approved."""

    _inherit = "construction.change.order.line"

    sov_line_id = fields.Many2one(
        "construction.sov.line",
        string="Schedule Line",
        index="btree_not_null",
        copy=False,
        check_company=True,
        domain="[('job_id', '=', job_id)]",
        help="The schedule of values line whose scheduled value the price change adds to "
        "once approved. Left empty, the line of the same phase and cost code is used, or a "
        "new line is added.",
    )

    def _link_sov_lines(self):
        """Link each line with a price change to its schedule of values line."""
        found = self.env["construction.sov.line"].sudo()._find_for_change_order_lines(self)
        for line, sov_line in found.items():
            if line.sov_line_id != sov_line:
                line.sudo().sov_line_id = sov_line
