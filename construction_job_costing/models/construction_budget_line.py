from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

# What an approved budget's lines keep: only change orders and transfers move them.
LOCKED_FIELDS = frozenset({"budget_id", "phase_id", "cost_code_id", "original_amount", "quantity"})


class ConstructionBudgetLine(models.Model):
    """One budgeted (job, phase, cost code): the original amount, and the
    approved owner change orders and transfers that revise it."""

    _name = "construction.budget.line"
    _description = "Construction Budget Line"
    _inherit = ["construction.job.mixin"]
    _order = "job_id, phase_id, cost_code_id, id"
    _check_company_auto = True

    budget_id = fields.Many2one(
        "construction.budget", required=True, index=True, ondelete="cascade"
    )
    job_id = fields.Many2one(
        related="budget_id.job_id", store=True, readonly=True, precompute=True, index=True
    )
    cost_code_id = fields.Many2one(required=True)
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(related="budget_id.state", store=True)
    name = fields.Char(string="Description")
    quantity = fields.Float(
        digits="Product Unit of Measure", help="Budget quantity of " "unit-priced work."
    )
    uom_id = fields.Many2one("uom.uom", string="Unit")
    original_amount = fields.Monetary(string="Original Budget")
    change_order_line_ids = fields.One2many("construction.change.order.line", "budget_line_id")
    transfer_in_ids = fields.One2many("construction.budget.transfer", "to_line_id")
    transfer_out_ids = fields.One2many("construction.budget.transfer", "from_line_id")
    change_order_amount = fields.Monetary(
        string="Change Orders", compute="_compute_revised", store=True
    )
    transfer_amount = fields.Monetary(string="Transfers", compute="_compute_revised", store=True)
    revised_amount = fields.Monetary(
        string="Revised Budget", compute="_compute_revised", store=True
    )

    def init(self):
        # One line per (job, phase, cost code); a line without phase counts as phase 0.
        tools.create_unique_index(
            self.env.cr,
            "construction_budget_line_job_phase_code_uniq",
            self._table,
            ["job_id", "COALESCE(phase_id, 0)", "cost_code_id"],
        )

    @api.depends("phase_id", "cost_code_id")
    def _compute_display_name(self):
        for line in self:
            parts = [line.phase_id.code, line.cost_code_id.display_name]
            line.display_name = " / ".join(part for part in parts if part) or _("Budget line")

    @api.depends(
        "original_amount",
        "change_order_line_ids.cost_delta",
        "change_order_line_ids.state",
        "transfer_in_ids.amount",
        "transfer_in_ids.state",
        "transfer_out_ids.amount",
        "transfer_out_ids.state",
    )
    def _compute_revised(self):
        for line in self:
            changes = sum(
                line.change_order_line_ids.filtered(lambda c: c.state == "approved").mapped(
                    "cost_delta"
                )
            )
            transfers = sum(
                line.transfer_in_ids.filtered(lambda t: t.state == "approved").mapped("amount")
            ) - sum(
                line.transfer_out_ids.filtered(lambda t: t.state == "approved").mapped("amount")
            )
            line.change_order_amount = changes
            line.transfer_amount = transfers
            line.revised_amount = line.original_amount + changes + transfers

    def _key(self):
        self.ensure_one()
        return (self.job_id.id, self.phase_id.id or False, self.cost_code_id.id)

    # ------------------------------------------------------------------
    # Approved budgets change only through change orders and transfers
    # ------------------------------------------------------------------

    def _system_change(self):
        return self.env.context.get("construction_budget_system")

    @api.model_create_multi
    def create(self, vals_list):
        if not self._system_change():
            budgets = self.env["construction.budget"].browse(
                {vals.get("budget_id") for vals in vals_list if vals.get("budget_id")}
            )
            approved = budgets.filtered(lambda b: b.state == "approved")
            if approved:
                raise UserError(
                    _(
                        "%s is approved: add to it through an owner change order or a budget "
                        "transfer.",
                        approved[0].name,
                    )
                )
        self._check_unique_keys(
            [
                (
                    vals.get("budget_id"),
                    vals.get("phase_id") or False,
                    vals.get("cost_code_id") or False,
                )
                for vals in vals_list
            ]
        )
        return super().create(vals_list)

    def _check_unique_keys(self, keys, ignore=None):
        """Refuse, by name, a (phase, cost code) the job's budget already has,
        before the unique index would refuse it without saying which."""
        budgets = self.env["construction.budget"].browse({key[0] for key in keys if key[0]})
        job_of = {budget.id: budget.job_id for budget in budgets}
        existing = {
            line._key(): line
            for line in self.with_context(active_test=False).search(
                [("job_id", "in", budgets.job_id.ids), ("id", "not in", (ignore or self).ids)]
            )
        }
        seen = set()
        for budget_id, phase_id, cost_code_id in keys:
            job = job_of.get(budget_id)
            if not job:
                continue
            key = (job.id, phase_id, cost_code_id)
            if key in existing or key in seen:
                phase = self.env["construction.phase"].browse(phase_id)
                code = self.env["construction.cost.code"].browse(cost_code_id)
                raise ValidationError(
                    _(
                        "Job %(job)s already has a budget line for %(line)s.",
                        job=job.display_name,
                        line=" / ".join(p for p in (phase.code, code.display_name) if p),
                    )
                )
            seen.add(key)

    def write(self, vals):
        if not self._system_change() and LOCKED_FIELDS & set(vals):
            locked = self.filtered(lambda line: line.state == "approved")
            if locked:
                raise UserError(
                    _(
                        "Budget line %(line)s of %(budget)s is approved: change it through an "
                        "owner change order or a budget transfer.",
                        line=locked[0].display_name,
                        budget=locked[0].budget_id.name,
                    )
                )
        if {"phase_id", "cost_code_id", "budget_id"} & set(vals):
            self._check_unique_keys(
                [
                    (
                        vals.get("budget_id", line.budget_id.id),
                        vals.get("phase_id", line.phase_id.id) or False,
                        vals.get("cost_code_id", line.cost_code_id.id) or False,
                    )
                    for line in self
                ],
                ignore=self,
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        locked = self.filtered(lambda line: line.state == "approved")
        if locked:
            raise UserError(
                _(
                    "Budget line %(line)s of %(budget)s is approved and cannot be deleted.",
                    line=locked[0].display_name,
                    budget=locked[0].budget_id.name,
                )
            )

    @api.constrains("original_amount", "quantity")
    def _check_amounts(self):
        for line in self:
            if line.original_amount < 0 or line.quantity < 0:
                raise ValidationError(
                    _(
                        "Budget line %(line)s: the amount and the quantity cannot be negative.",
                        line=line.display_name,
                    )
                )
