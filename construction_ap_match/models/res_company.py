from odoo import fields, models

LEVELS = [("two_way", "Two-way (bill vs PO)"), ("three_way", "Three-way (bill vs PO and receipt)")]
ACTIONS = [("warn", "Warn"), ("block", "Block")]


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_match_level = fields.Selection(LEVELS, default="three_way", required=True)
    construction_price_tolerance_percent = fields.Float(default=0.0)
    construction_price_tolerance_amount = fields.Float(default=0.0)
    construction_qty_tolerance_percent = fields.Float(default=0.0)
    construction_qty_tolerance_units = fields.Float(default=0.0)
    construction_total_tolerance_amount = fields.Float(default=0.01)
    construction_match_action = fields.Selection(ACTIONS, default="block", required=True)
    construction_duplicate_window_days = fields.Integer(default=90)
    construction_price_exception_user_id = fields.Many2one(
        "res.users", help="Receives price exceptions instead of the PO's buyer."
    )
    construction_qty_exception_user_id = fields.Many2one(
        "res.users", help="Receives quantity exceptions instead of the job's site supervisor."
    )
    construction_coding_exception_user_id = fields.Many2one(
        "res.users", help="Receives coding exceptions instead of the job's project manager."
    )
    construction_duplicate_exception_user_id = fields.Many2one(
        "res.users", help="Receives duplicate and other exceptions (accounts payable)."
    )
    construction_compliance_expiring_days = fields.Integer(
        string="Compliance Reminder Days",
        default=30,
        help="A certificate expiring within this many days makes its vendor 'expiring soon' "
        "and gives the purchasing contact a reminder activity.",
    )
    construction_compliance_max_file_mb = fields.Float(
        string="Compliance File Limit (MB)",
        default=10.0,
        help="Largest file accepted for a compliance document (0: no limit).",
    )
    construction_compliance_user_id = fields.Many2one(
        "res.users",
        string="Compliance Contact",
        help="Receives the expiry reminders of vendors without a buyer.",
    )
