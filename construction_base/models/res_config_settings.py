from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_retention_percent = fields.Float(
        related="company_id.construction_retention_percent", readonly=False
    )
