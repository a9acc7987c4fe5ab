from odoo import fields, models


class ConstructionComplianceRelease(models.Model):
    """A controller lets one payment of a bill through despite compliance gaps."""

    _name = "construction.compliance.release"
    _description = "Vendor Compliance Release"
    _order = "id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Bill", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True)
    reason = fields.Text(required=True, readonly=True)
    gaps = fields.Text(string="Gaps Released", readonly=True)
    user_id = fields.Many2one("res.users", string="Released By", required=True, readonly=True)
    date = fields.Datetime(string="Released On", required=True, readonly=True)
    payment_id = fields.Many2one("account.payment", string="Payment", readonly=True)
    state = fields.Selection(
        [("open", "Waiting for Payment"), ("used", "Used")],
        default="open",
        required=True,
        readonly=True,
    )

    def _compute_display_name(self):
        for release in self:
            release.display_name = f"{release.move_id.name or ''}: {release.user_id.name or ''}"
