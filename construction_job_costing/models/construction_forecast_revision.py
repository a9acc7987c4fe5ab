from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ConstructionForecastRevision(models.Model):
    """A project manager's estimate to complete for one job cost line.

    The latest revision dated on or before the report date replaces the
    default ETC of its line. Revisions are history: never changed, only
    superseded by a newer one.
    """

    _name = "construction.forecast.revision"
    _description = "Job Cost Forecast Revision"
    _inherit = ["construction.job.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    job_id = fields.Many2one(required=True, index=True, check_company=True)
    cost_code_id = fields.Many2one(required=True)
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    estimate_to_complete = fields.Monetary(string="Estimate to Complete", required=True)
    note = fields.Text(required=True, help="Why the forecast changes.")
    user_id = fields.Many2one(
        "res.users", string="Revised By", default=lambda self: self.env.user, readonly=True
    )

    @api.constrains("estimate_to_complete")
    def _check_estimate(self):
        for revision in self:
            if revision.estimate_to_complete < 0:
                raise ValidationError(
                    _(
                        "Forecast of %(line)s: the estimate to complete cannot be negative.",
                        line=revision.display_name,
                    )
                )

    @api.depends("job_id", "phase_id", "cost_code_id", "date")
    def _compute_display_name(self):
        for revision in self:
            parts = [
                revision.job_id.job_code,
                revision.phase_id.code,
                revision.cost_code_id.code,
                fields.Date.to_string(revision.date),
            ]
            revision.display_name = " / ".join(part for part in parts if part)

    @api.model_create_multi
    def create(self, vals_list):
        revisions = super().create(vals_list)
        budgets = (
            self.env["construction.budget"].sudo().search([("job_id", "in", revisions.job_id.ids)])
        )
        by_job = {budget.job_id: budget for budget in budgets}
        for revision in revisions:
            budget = by_job.get(revision.job_id)
            if budget:
                budget.message_post(
                    body=_(
                        "Forecast of %(line)s revised by %(user)s: estimate to complete "
                        "%(etc)s as of %(date)s. %(note)s",
                        line=revision.display_name,
                        user=revision.user_id.name,
                        etc=revision.estimate_to_complete,
                        date=revision.date,
                        note=revision.note,
                    )
                )
        return revisions

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                _("A forecast revision is history: record a new revision instead of changing it.")
            )
        return super().write(vals)
