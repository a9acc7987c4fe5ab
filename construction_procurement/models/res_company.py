from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_over_receipt_percent = fields.Float(
        string="Over-receipt Tolerance %",
        default=0.0,
        help="How much more than ordered a site may receive on a line before it is refused.",
    )
    construction_vendor_ack_days = fields.Integer(
        string="Vendor Acknowledgement Days",
        default=3,
        help="Days after confirmation before a purchase order without the vendor's "
        "acknowledgement raises an activity for its buyer.",
    )
