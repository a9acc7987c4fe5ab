from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

BUDGET_STATES = [("draft", "Draft"), ("approved", "Approved")]


class ConstructionBudget(models.Model):
    """The budget of one job: its lines per phase and cost code.

    Drafted (by hand, by the import wizard or by ``master.budget``), then
    approved by the job's project manager or a controller. After approval the
    lines change only through owner change orders and budget transfers, each
    recorded in this budget's chatter.
    """

    _name = "construction.budget"
    _description = "Construction Job Budget"
    _inherit = ["mail.thread"]
    _order = "job_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_job', '=', True)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(BUDGET_STATES, default="draft", required=True, tracking=True)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_date = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many("construction.budget.line", "budget_id", string="Lines")
    line_count = fields.Integer(compute="_compute_totals", store=True)
    original_total = fields.Monetary(compute="_compute_totals", store=True)
    change_order_total = fields.Monetary(compute="_compute_totals", store=True)
    transfer_total = fields.Monetary(compute="_compute_totals", store=True)
    revised_total = fields.Monetary(compute="_compute_totals", store=True)
    note = fields.Html()

    _sql_constraints = [
        ("job_uniq", "unique (job_id)", "A job has one budget."),
    ]

    @api.depends("job_id.job_code", "job_id.name")
    def _compute_name(self):
        for budget in self:
            budget.name = _("Budget %s", budget.job_id.display_name or "")

    @api.depends(
        "line_ids.original_amount",
        "line_ids.change_order_amount",
        "line_ids.transfer_amount",
        "line_ids.revised_amount",
    )
    def _compute_totals(self):
        for budget in self:
            lines = budget.line_ids
            budget.line_count = len(lines)
            budget.original_total = sum(lines.mapped("original_amount"))
            budget.change_order_total = sum(lines.mapped("change_order_amount"))
            budget.transfer_total = sum(lines.mapped("transfer_amount"))
            budget.revised_total = sum(lines.mapped("revised_amount"))

    @api.model
    def _for_jobs(self, jobs):
        """The budget of each job, created in draft where missing."""
        budgets = self.sudo().search([("job_id", "in", jobs.ids)])
        missing = jobs - budgets.job_id
        if missing:
            budgets |= self.sudo().create([{"job_id": job.id} for job in missing])
        return budgets.with_env(self.env)

    def _check_can_approve(self):
        user = self.env.user
        for budget in self:
            if self.env.su or user.has_group("construction_base.group_controller"):
                continue
            if not (
                user.has_group("construction_base.group_project_manager")
                and budget.job_id.user_id == user
            ):
                raise UserError(
                    _(
                        "You may not approve %(budget)s: only the job's project manager "
                        "(%(manager)s) or a controller may.",
                        budget=budget.name,
                        manager=budget.job_id.user_id.name or _("none set"),
                    )
                )

    def action_approve(self):
        self._check_can_approve()
        for budget in self:
            if budget.state != "draft":
                raise UserError(_("%s is already approved.", budget.name))
            if not budget.line_ids:
                raise UserError(_("%s has no lines to approve.", budget.name))
        self.write(
            {
                "state": "approved",
                "approved_by": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reset_to_draft(self):
        """A controller may reopen a budget that nothing has changed since approval."""
        if not (self.env.su or self.env.user.has_group("construction_base.group_controller")):
            raise UserError(_("Only a controller may reopen an approved budget."))
        for budget in self:
            if budget.line_ids.filtered(
                lambda line: line.change_order_amount or line.transfer_amount
            ):
                raise UserError(
                    _(
                        "%s has approved change orders or transfers: it cannot go back to "
                        "draft. Change it through change orders or transfers.",
                        budget.name,
                    )
                )
        self.write({"state": "draft", "approved_by": False, "approved_date": False})
        return True

    def action_open_import_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Import budget lines"),
            "res_model": "construction.budget.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_job_id": self.job_id.id},
        }

    def action_view_job_cost(self):
        self.ensure_one()
        return self.job_id.action_view_job_cost()

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if self.filtered(lambda b: b.state == "approved"):
            raise UserError(_("An approved budget cannot be deleted."))

    @api.constrains("job_id")
    def _check_job(self):
        for budget in self:
            if not budget.job_id.is_job:
                raise ValidationError(
                    _("%s is not a construction job: give it a job code first.", budget.job_id.name)
                )
