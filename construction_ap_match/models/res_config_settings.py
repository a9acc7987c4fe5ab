from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_match_level = fields.Selection(
        related="company_id.construction_match_level", readonly=False
    )
    construction_price_tolerance_percent = fields.Float(
        related="company_id.construction_price_tolerance_percent", readonly=False
    )
    construction_price_tolerance_amount = fields.Float(
        related="company_id.construction_price_tolerance_amount", readonly=False
    )
    construction_qty_tolerance_percent = fields.Float(
        related="company_id.construction_qty_tolerance_percent", readonly=False
    )
    construction_qty_tolerance_units = fields.Float(
        related="company_id.construction_qty_tolerance_units", readonly=False
    )
    construction_total_tolerance_amount = fields.Float(
        related="company_id.construction_total_tolerance_amount", readonly=False
    )
    construction_match_action = fields.Selection(
        related="company_id.construction_match_action", readonly=False
    )
    construction_duplicate_window_days = fields.Integer(
        related="company_id.construction_duplicate_window_days", readonly=False
    )
    construction_price_exception_user_id = fields.Many2one(
        related="company_id.construction_price_exception_user_id", readonly=False
    )
    construction_qty_exception_user_id = fields.Many2one(
        related="company_id.construction_qty_exception_user_id", readonly=False
    )
    construction_coding_exception_user_id = fields.Many2one(
        related="company_id.construction_coding_exception_user_id", readonly=False
    )
    construction_duplicate_exception_user_id = fields.Many2one(
        related="company_id.construction_duplicate_exception_user_id", readonly=False
    )
    construction_compliance_expiring_days = fields.Integer(
        related="company_id.construction_compliance_expiring_days", readonly=False
    )
    construction_compliance_max_file_mb = fields.Float(
        related="company_id.construction_compliance_max_file_mb", readonly=False
    )
    construction_compliance_user_id = fields.Many2one(
        related="company_id.construction_compliance_user_id", readonly=False
    )

    def action_construction_load_compliance_requirements(self):
        """Create the standard requirement types (inactive) in the current company."""
        self.env["construction.compliance.requirement"]._construction_load_standard(self.company_id)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "construction_ap_match.construction_compliance_requirement_action"
        )
