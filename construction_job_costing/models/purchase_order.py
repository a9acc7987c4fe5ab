from odoo import _, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def _budget_new_amounts(self):
        """{(job, phase, cost code): untaxed amount in company currency} of the job lines."""
        self.ensure_one()
        amounts = {}
        company = self.company_id
        date = self.date_order or fields.Date.context_today(self)
        for line in self.order_line.filtered(lambda pl: pl.job_id and not pl.display_type):
            amount = line.currency_id._convert(
                line.price_subtotal, company.currency_id, company, date
            )
            key = (line.job_id.id, line.phase_id.id or False, line.cost_code_id.id or False)
            amounts[key] = amounts.get(key, 0.0) + amount
        return amounts

    def button_confirm(self):
        report = self.env["construction.job.cost.report"]
        warnings = {}
        for order in self.filtered(
            lambda o: o.state in ("draft", "sent", "to approve") and o._is_job_order()
        ):
            warnings[order] = report._check_budget(
                order._budget_new_amounts(), order.company_id, _("Purchase order %s", order.name)
            )
        result = super().button_confirm()
        for order, messages in warnings.items():
            for message in messages:
                order.message_post(body=message)
        return result

    def action_open_budget_override(self):
        return self.env["construction.budget.override.wizard"]._open(self, "button_confirm")
