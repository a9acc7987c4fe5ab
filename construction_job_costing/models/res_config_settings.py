from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_budget_check = fields.Selection(
        related="company_id.construction_budget_check", readonly=False
    )
    construction_budget_tolerance = fields.Float(
        related="company_id.construction_budget_tolerance", readonly=False
    )
    construction_co_pm_limit = fields.Monetary(
        related="company_id.construction_co_pm_limit",
        readonly=False,
        currency_field="currency_id",
    )
    construction_retention_payable_account_id = fields.Many2one(
        related="company_id.construction_retention_payable_account_id", readonly=False
    )
    construction_retention_receivable_account_id = fields.Many2one(
        related="company_id.construction_retention_receivable_account_id", readonly=False
    )
