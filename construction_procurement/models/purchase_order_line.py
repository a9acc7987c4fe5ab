from odoo import api, fields, models

from ..domain.commitment import line_commitment


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "construction.job.mixin"]

    job_id = fields.Many2one(compute="_compute_job_id", store=True, readonly=False, precompute=True)
    requisition_line_id = fields.Many2one(
        "construction.requisition.line", index="btree_not_null", copy=False
    )
    progress_receipt_ids = fields.One2many("construction.progress.receipt", "purchase_line_id")
    committed_amount = fields.Monetary(compute="_compute_commitment", store=True)
    received_amount = fields.Monetary(compute="_compute_commitment", store=True)
    billed_amount = fields.Monetary(compute="_compute_commitment", store=True)
    open_commitment = fields.Monetary(compute="_compute_commitment", store=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    committed_amount_company = fields.Monetary(
        compute="_compute_commitment", store=True, currency_field="company_currency_id"
    )
    received_amount_company = fields.Monetary(
        compute="_compute_commitment", store=True, currency_field="company_currency_id"
    )
    billed_amount_company = fields.Monetary(
        compute="_compute_commitment", store=True, currency_field="company_currency_id"
    )
    open_commitment_company = fields.Monetary(
        compute="_compute_commitment", store=True, currency_field="company_currency_id"
    )

    @api.depends("order_id.job_id")
    def _compute_job_id(self):
        for line in self:
            if not line.job_id and not line.display_type:
                line.job_id = line.order_id.job_id

    @api.depends(
        "state",
        "price_subtotal",
        "price_unit",
        "product_qty",
        "qty_received",
        "qty_invoiced",
        "currency_id",
        "order_id.date_order",
    )
    def _compute_commitment(self):
        for line in self:
            figures = line_commitment(
                line.state,
                line.price_subtotal,
                line.price_unit,
                line.product_qty,
                line.qty_received,
                line.qty_invoiced,
                rounding=str(line.currency_id.rounding or 0.01),
            )
            values = {
                "committed_amount": float(figures.committed),
                "received_amount": float(figures.received),
                "billed_amount": float(figures.billed),
                "open_commitment": float(figures.open),
            }
            line.update(values)
            company = line.company_id or self.env.company
            date = line.order_id.date_order or fields.Date.today()
            for name, amount in values.items():
                line[f"{name}_company"] = (
                    line.currency_id._convert(amount, company.currency_id, company, date)
                    if line.currency_id and line.currency_id != company.currency_id
                    else amount
                )

    def _job_analytic_distribution(self):
        self.ensure_one()
        account = self.job_id.account_id
        return {str(account.id): 100.0} if account else False

    @api.onchange("job_id")
    def _onchange_job_id_analytic(self):
        if self.job_id:
            self.analytic_distribution = self._job_analytic_distribution()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line, vals in zip(lines, vals_list, strict=True):
            if line.job_id and not vals.get("analytic_distribution"):
                line.analytic_distribution = line._job_analytic_distribution()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "job_id" in vals and "analytic_distribution" not in vals:
            for line in self.filtered("job_id"):
                line.analytic_distribution = line._job_analytic_distribution()
        return result

    def _prepare_account_move_line(self, move=False):
        """Bill lines keep the PO line's job, phase and cost code."""
        values = super()._prepare_account_move_line(move)
        if self.job_id and "job_id" in self.env["account.move.line"]._fields:
            values.update(
                job_id=self.job_id.id, phase_id=self.phase_id.id, cost_code_id=self.cost_code_id.id
            )
        return values

    def _sync_progress_received(self):
        """The received quantity of manual (service, subcontract) lines is the
        sum of their progress receipts."""
        for line in self.filtered(lambda pl: pl.qty_received_method == "manual"):
            total = sum(line.progress_receipt_ids.mapped("quantity"))
            if line.qty_received != total:
                line.qty_received = total
