from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain.costing import change_order_needs_controller

CHANGE_ORDER_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("void", "Void"),
]
PENDING_STATES = ("draft", "submitted")


class ConstructionChangeOrder(models.Model):
    """An owner change order: changes the job's budget (cost delta) and its
    contract value (price delta) once approved. Pending ones are exposure."""

    _name = "construction.change.order"
    _description = "Owner Change Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "job_id, number desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, index=True)
    number = fields.Integer(readonly=True, copy=False, help="Sequence within the job.")
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        domain="[('is_job', '=', True), ('job_status', '!=', 'closed')]",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    title = fields.Char(required=True, tracking=True)
    reason = fields.Text()
    state = fields.Selection(
        CHANGE_ORDER_STATES, default="draft", required=True, tracking=True, index=True
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    date_submitted = fields.Date(readonly=True, copy=False)
    date_approved = fields.Date(
        readonly=True, copy=False, help="The change counts in the job cost report from this date."
    )
    approved_by = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    line_ids = fields.One2many("construction.change.order.line", "change_order_id", copy=True)
    cost_delta = fields.Monetary(
        string="Cost Change", compute="_compute_totals", store=True, tracking=True
    )
    price_delta = fields.Monetary(
        string="Price Change", compute="_compute_totals", store=True, tracking=True
    )
    needs_controller = fields.Boolean(compute="_compute_needs_controller")

    _sql_constraints = [
        ("number_job_uniq", "unique (job_id, number)", "Change order numbers are unique per job."),
    ]

    @api.depends("job_id.job_code", "number")
    def _compute_name(self):
        for order in self:
            order.name = (
                f"{order.job_id.job_code}-CO-{order.number:03d}"
                if order.number and order.job_id.job_code
                else _("New")
            )

    @api.depends("line_ids.cost_delta", "line_ids.price_delta")
    def _compute_totals(self):
        for order in self:
            order.cost_delta = sum(order.line_ids.mapped("cost_delta"))
            order.price_delta = sum(order.line_ids.mapped("price_delta"))

    @api.depends("cost_delta", "price_delta", "company_id.construction_co_pm_limit")
    def _compute_needs_controller(self):
        for order in self:
            order.needs_controller = change_order_needs_controller(
                order.cost_delta, order.price_delta, order.company_id.construction_co_pm_limit
            )

    @api.model_create_multi
    def create(self, vals_list):
        job_ids = {vals["job_id"] for vals in vals_list if vals.get("job_id")}
        if job_ids:
            # Serialise numbering per job; the unique constraint holds it anyway.
            self.env.cr.execute(
                "SELECT id FROM project_project WHERE id = ANY(%s) FOR UPDATE", [list(job_ids)]
            )
        last = dict(
            self.sudo()
            .with_context(active_test=False)
            ._read_group([("job_id", "in", list(job_ids))], ["job_id"], ["number:max"])
        )
        last = {job.id: number for job, number in last.items()}
        for vals in vals_list:
            if vals.get("job_id") and not vals.get("number"):
                last[vals["job_id"]] = last.get(vals["job_id"], 0) + 1
                vals["number"] = last[vals["job_id"]]
        orders = super().create(vals_list)
        orders._check_job_open()
        return orders

    def write(self, vals):
        if set(vals) & {"job_id", "line_ids"}:
            locked = self.filtered(lambda o: o.state not in PENDING_STATES)
            if locked:
                raise UserError(
                    _(
                        "Change order %(order)s is %(state)s and cannot be changed.",
                        order=locked[0].name,
                        state=dict(CHANGE_ORDER_STATES)[locked[0].state],
                    )
                )
        return super().write(vals)

    def _check_job_open(self):
        for order in self:
            if order.job_id.job_status == "closed":
                raise ValidationError(
                    _("Job %s is closed: it takes no change orders.", order.job_id.display_name)
                )

    def _check_state(self, allowed, action):
        for order in self:
            if order.state not in allowed:
                raise UserError(
                    _(
                        "Change order %(order)s is %(state)s: it cannot be %(action)s.",
                        order=order.name,
                        state=dict(CHANGE_ORDER_STATES)[order.state],
                        action=action,
                    )
                )

    def action_submit(self):
        self._check_state(("draft",), _("submitted"))
        self._check_job_open()
        for order in self:
            if not order.line_ids:
                raise UserError(_("Change order %s has no lines.", order.name))
        self.write({"state": "submitted", "date_submitted": fields.Date.context_today(self)})
        return True

    def _check_can_approve(self):
        user = self.env.user
        for order in self:
            if self.env.su or user.has_group("construction_base.group_controller"):
                continue
            if order.needs_controller:
                raise UserError(
                    _(
                        "Change order %(order)s (cost %(cost)s, price %(price)s) is above the "
                        "project manager limit of %(limit)s: a controller must approve it.",
                        order=order.name,
                        cost=order.cost_delta,
                        price=order.price_delta,
                        limit=order.company_id.construction_co_pm_limit,
                    )
                )
            if order.job_id.user_id != user or not user.has_group(
                "construction_base.group_project_manager"
            ):
                raise UserError(
                    _(
                        "You may not approve change order %(order)s: only the project manager "
                        "of job %(job)s or a controller may.",
                        order=order.name,
                        job=order.job_id.display_name,
                    )
                )

    def action_approve(self):
        self._check_state(("submitted",), _("approved"))
        self._check_job_open()
        self._check_can_approve()
        self.write(
            {
                "state": "approved",
                "approved_by": self.env.user.id,
                "date_approved": fields.Date.context_today(self),
            }
        )
        self.line_ids._link_budget_lines()
        # The price changes go to the schedule of values: its scheduled values follow.
        self.line_ids._link_sov_lines()
        for order in self:
            job = order.job_id
            if order.price_delta:
                job.sudo().contract_value = job.contract_value + order.price_delta
            budget = order.line_ids.budget_line_id.budget_id[:1]
            body = _(
                "Owner change order %(order)s approved by %(user)s: budget %(cost)s, contract "
                "%(price)s (%(title)s).",
                order=order.name,
                user=self.env.user.name,
                cost=order.cost_delta,
                price=order.price_delta,
                title=order.title,
            )
            if budget:
                budget.message_post(body=body)
            job.message_post(body=body)
        self._emit_approved()
        return True

    def action_reject(self):
        self._check_state(("submitted",), _("rejected"))
        self._check_can_approve()
        self.write({"state": "rejected"})
        return True

    def action_void(self):
        self._check_state(PENDING_STATES + ("rejected",), _("voided"))
        self.write({"state": "void"})
        return True

    def action_draft(self):
        self._check_state(("submitted", "rejected"), _("reset to draft"))
        self.write({"state": "draft"})
        return True

    def _emit_approved(self):
        data = {
            order.id: {
                "change_order": order.name,
                "job": order.job_id.job_code,
                "title": order.title,
                "cost_delta": order.cost_delta,
                "price_delta": order.price_delta,
                "contract_value": order.job_id.contract_value,
                "date_approved": fields.Date.to_string(order.date_approved),
                "lines": [
                    {
                        "phase": line.phase_id.code or None,
                        "cost_code": line.cost_code_id.code,
                        "description": line.name or None,
                        "cost_delta": line.cost_delta,
                        "price_delta": line.price_delta,
                    }
                    for line in order.line_ids
                ],
            }
            for order in self
        }
        self.env["construction.sync.outbound"].emit("change_order.approved", self, data)
