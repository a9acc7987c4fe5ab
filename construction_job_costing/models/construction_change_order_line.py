from odoo import api, fields, models


class ConstructionChangeOrderLine(models.Model):
    _name = "construction.change.order.line"
    _description = "Owner Change Order Line"
    _inherit = ["construction.job.mixin"]
    _order = "change_order_id, sequence, id"
    _check_company_auto = True

    change_order_id = fields.Many2one(
        "construction.change.order", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    job_id = fields.Many2one(
        related="change_order_id.job_id", store=True, readonly=True, precompute=True
    )
    cost_code_id = fields.Many2one(required=True)
    company_id = fields.Many2one(
        related="change_order_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(related="change_order_id.state", store=True)
    name = fields.Char(string="Description")
    cost_delta = fields.Monetary(string="Cost Change", help="Change to the budget.")
    price_delta = fields.Monetary(string="Price Change", help="Change to the contract value.")
    budget_line_id = fields.Many2one(
        "construction.budget.line", readonly=True, copy=False, index="btree_not_null"
    )

    def _link_budget_lines(self):
        """Link each line to the budget line of its (job, phase, cost code),
        creating the budget (draft) and the line (original 0) where missing."""
        lines = self.filtered(lambda line: not line.budget_line_id)
        if not lines:
            return
        Budget = self.env["construction.budget"].sudo()
        BudgetLine = (
            self.env["construction.budget.line"]
            .sudo()
            .with_context(construction_budget_system=True)
        )
        budgets = {budget.job_id.id: budget for budget in Budget._for_jobs(lines.job_id)}
        existing = {
            line._key(): line for line in BudgetLine.search([("job_id", "in", lines.job_id.ids)])
        }
        missing = {}
        for line in lines:
            key = (line.job_id.id, line.phase_id.id or False, line.cost_code_id.id)
            if key not in existing and key not in missing:
                missing[key] = {
                    "budget_id": budgets[line.job_id.id].id,
                    "phase_id": line.phase_id.id,
                    "cost_code_id": line.cost_code_id.id,
                    "name": line.name,
                    "original_amount": 0.0,
                }
        if missing:
            created = BudgetLine.create(list(missing.values()))
            existing.update({line._key(): line for line in created})
        for line in lines:
            line.budget_line_id = existing[
                (line.job_id.id, line.phase_id.id or False, line.cost_code_id.id)
            ]

    @api.onchange("cost_code_id")
    def _onchange_cost_code_description(self):
        if self.cost_code_id and not self.name:
            self.name = self.cost_code_id.name
