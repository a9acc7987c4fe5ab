from odoo import fields, models

from ..domain.costing import BUDGET_CHECK_MODES


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_budget_check = fields.Selection(
        list(BUDGET_CHECK_MODES),
        string="Budget Check",
        default="warn",
        required=True,
        help="At requisition approval and purchase order confirmation: what happens when "
        "committed + actual + the new amount exceeds the revised budget of a cost code.",
    )
    construction_budget_tolerance = fields.Float(
        string="Budget Tolerance %",
        digits=(5, 2),
        default=0.0,
        help="How far over the revised budget a cost code may go before the check warns "
        "or blocks.",
    )
    construction_co_pm_limit = fields.Monetary(
        string="Project Manager Change Order Limit",
        currency_field="currency_id",
        default=25000.0,
        help="Owner change orders up to this size (the larger of the cost and price "
        "changes) are approved by the job's project manager; larger ones by a controller.",
    )

    construction_retention_payable_account_id = fields.Many2one(
        "account.account",
        string="Retention Payable Account",
        check_company=True,
        help="Where the retention withheld from subcontractors' bills is held until released.",
    )
    construction_retention_receivable_account_id = fields.Many2one(
        "account.account",
        string="Retention Receivable Account",
        check_company=True,
        help="Where the retention the owner withholds from progress invoices is held until "
        "released.",
    )
