from odoo import api, fields, models


class AccountMoveLine(models.Model):
    """Bill lines carry job, phase and cost code onto the analytic lines they post."""

    _name = "account.move.line"
    _inherit = ["account.move.line", "construction.job.mixin"]

    job_id = fields.Many2one(
        compute="_compute_construction_coding", store=True, readonly=False, precompute=True
    )
    phase_id = fields.Many2one(
        compute="_compute_construction_coding", store=True, readonly=False, precompute=True
    )
    cost_code_id = fields.Many2one(
        compute="_compute_construction_coding", store=True, readonly=False, precompute=True
    )
    match_status = fields.Selection(
        [("matched", "Matched"), ("exception", "Exception")],
        compute="_compute_match_status",
        help="Matched, or with an open match exception (from the last match of the bill).",
    )

    @api.depends(
        "move_id.construction_matched_at",
        "move_id.construction_exception_ids.state",
        "move_id.construction_exception_ids.move_line_id",
    )
    def _compute_match_status(self):
        for line in self:
            move = line.move_id
            if not move.construction_matched_at or line.display_type != "product":
                line.match_status = False
                continue
            open_lines = move.construction_exception_ids.filtered(
                lambda e: e.state == "open"
            ).move_line_id
            line.match_status = "exception" if line in open_lines else "matched"

    @api.depends("purchase_line_id")
    def _compute_construction_coding(self):
        """A bill line linked to a job PO line takes its coding (unless already coded)."""
        for line in self:
            po_line = line.purchase_line_id
            source = po_line if po_line.job_id and not line.job_id else line
            line.job_id = source.job_id
            line.phase_id = source.phase_id
            line.cost_code_id = source.cost_code_id

    def _prepare_analytic_distribution_line(
        self, distribution, account_ids, distribution_on_each_plan
    ):
        values = super()._prepare_analytic_distribution_line(
            distribution, account_ids, distribution_on_each_plan
        )
        if self.job_id:
            values["phase_id"] = self.phase_id.id
            values["cost_code_id"] = self.cost_code_id.id
        return values
