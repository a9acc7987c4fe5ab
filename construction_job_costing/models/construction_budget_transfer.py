from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain.costing import transfer_shortfall

TRANSFER_STATES = [("draft", "Draft"), ("approved", "Approved"), ("rejected", "Rejected")]


class ConstructionBudgetTransfer(models.Model):
    """Budget moved from one line of a job to another; the job total stays."""

    _name = "construction.budget.transfer"
    _description = "Construction Budget Transfer"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default=lambda self: _("New"))
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        domain="[('is_job', '=', True)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    from_line_id = fields.Many2one(
        "construction.budget.line",
        string="From Line",
        required=True,
        domain="[('job_id', '=', job_id)]",
        check_company=True,
    )
    to_line_id = fields.Many2one(
        "construction.budget.line",
        string="To Line",
        required=True,
        domain="[('job_id', '=', job_id), ('id', '!=', from_line_id)]",
        check_company=True,
    )
    amount = fields.Monetary(required=True, tracking=True)
    reason = fields.Text(required=True)
    state = fields.Selection(TRANSFER_STATES, default="draft", required=True, tracking=True)
    date = fields.Date(
        string="Approved On",
        readonly=True,
        copy=False,
        help="The transfer counts in the job cost report from this date on.",
    )
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "construction.budget.transfer"
                ) or _("New")
        return super().create(vals_list)

    @api.constrains("from_line_id", "to_line_id", "amount", "job_id")
    def _check_lines(self):
        for transfer in self:
            if transfer.amount <= 0:
                raise ValidationError(_("Transfer %s: the amount must be positive.", transfer.name))
            if transfer.from_line_id == transfer.to_line_id:
                raise ValidationError(
                    _("Transfer %s: the from and to lines must differ.", transfer.name)
                )
            for line in transfer.from_line_id | transfer.to_line_id:
                if line.job_id != transfer.job_id:
                    raise ValidationError(
                        _(
                            "Transfer %(transfer)s: line %(line)s belongs to job %(line_job)s, "
                            "not to job %(job)s.",
                            transfer=transfer.name,
                            line=line.display_name,
                            line_job=line.job_id.display_name,
                            job=transfer.job_id.display_name,
                        )
                    )

    def write(self, vals):
        if set(vals) & {"job_id", "from_line_id", "to_line_id", "amount"} and self.filtered(
            lambda t: t.state != "draft"
        ):
            raise UserError(_("Only a draft transfer can be changed."))
        return super().write(vals)

    def _check_can_approve(self):
        user = self.env.user
        for transfer in self:
            if transfer.state != "draft":
                raise UserError(_("Transfer %s is not waiting for approval.", transfer.name))
            if self.env.su or user.has_group("construction_base.group_controller"):
                continue
            if transfer.job_id.user_id != user:
                raise UserError(
                    _(
                        "You may not approve transfer %(transfer)s: only the project manager "
                        "of job %(job)s or a controller may.",
                        transfer=transfer.name,
                        job=transfer.job_id.display_name,
                    )
                )

    def action_approve(self):
        self._check_can_approve()
        current = self.env["construction.job.cost.report"]._current_figures(self.job_id)
        for transfer in self:
            source = transfer.from_line_id
            figures = current.get(source._key())
            committed = figures.committed if figures else 0
            actual = figures.actual if figures else 0
            shortfall = transfer_shortfall(
                source.revised_amount, committed, actual, transfer.amount
            )
            if shortfall:
                raise UserError(
                    _(
                        "Transfer %(transfer)s would take line %(line)s to %(left)s, below its "
                        "committed + actual of %(floor)s (short by %(short)s).",
                        transfer=transfer.name,
                        line=source.display_name,
                        left=source.revised_amount - transfer.amount,
                        floor=committed + actual,
                        short=shortfall,
                    )
                )
        self.write(
            {
                "state": "approved",
                "date": fields.Date.context_today(self),
                "approved_by": self.env.user.id,
            }
        )
        for transfer in self:
            transfer.from_line_id.budget_id.message_post(
                body=_(
                    "Budget transfer %(transfer)s approved by %(user)s: %(amount)s from "
                    "%(from_line)s to %(to_line)s. Reason: %(reason)s",
                    transfer=transfer.name,
                    user=self.env.user.name,
                    amount=transfer.amount,
                    from_line=transfer.from_line_id.display_name,
                    to_line=transfer.to_line_id.display_name,
                    reason=transfer.reason,
                )
            )
        return True

    def action_reject(self):
        self._check_can_approve()
        self.write({"state": "rejected"})
        return True
