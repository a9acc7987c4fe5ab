from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_over_receipt_percent = fields.Float(
        related="company_id.construction_over_receipt_percent", readonly=False
    )
    construction_vendor_ack_days = fields.Integer(
        related="company_id.construction_vendor_ack_days", readonly=False
    )
