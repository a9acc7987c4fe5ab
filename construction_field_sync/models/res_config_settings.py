from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_field_daily_hours = fields.Float(
        related="company_id.construction_field_daily_hours", readonly=False
    )
    construction_field_limit_action = fields.Selection(
        related="company_id.construction_field_limit_action", readonly=False
    )
