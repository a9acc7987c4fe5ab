from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("partially_ordered", "Partially Ordered"),
    ("ordered", "Ordered"),
    ("cancelled", "Cancelled"),
]


class ConstructionRequisition(models.Model):
    """A site's request for material or services on one job, to approve and buy."""

    _name = "construction.requisition"
    _description = "Construction Requisition"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, copy=False, readonly=True, default=lambda self: _("New"), index=True
    )
    external_id = fields.Char(copy=False, index="btree_not_null", help="Id in the sending system.")
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_job', '=', True), ('job_status', '!=', 'closed')]",
    )
    phase_id = fields.Many2one(
        "construction.phase",
        string="Phase",
        domain="[('project_id', '=', job_id)]",
        help="Default phase of new lines.",
    )
    company_id = fields.Many2one(
        "res.company", related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    requested_by = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True, tracking=True
    )
    date_needed = fields.Date(string="Needed By", tracking=True)
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True)
    line_ids = fields.One2many("construction.requisition.line", "requisition_id", copy=True)
    amount_total = fields.Monetary(
        string="Estimated Total", compute="_compute_amount_total", store=True
    )
    approval_rule_id = fields.Many2one(
        "construction.requisition.approval.rule", readonly=True, copy=False
    )
    approver_ids = fields.Many2many(
        "res.users", string="Approvers", compute="_compute_approver_ids"
    )
    approved_by = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    purchase_order_ids = fields.Many2many(
        "purchase.order", compute="_compute_purchase_order_ids", string="Purchase Orders"
    )
    purchase_order_count = fields.Integer(compute="_compute_purchase_order_ids")
    note = fields.Html()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "construction.requisition"
                ) or _("New")
        return super().create(vals_list)

    @api.depends("line_ids.estimated_amount")
    def _compute_amount_total(self):
        for requisition in self:
            requisition.amount_total = sum(requisition.line_ids.mapped("estimated_amount"))

    @api.depends("approval_rule_id", "job_id", "state")
    def _compute_approver_ids(self):
        for requisition in self:
            requisition.approver_ids = requisition._approvers()

    @api.depends("line_ids.purchase_line_ids")
    def _compute_purchase_order_ids(self):
        for requisition in self:
            orders = requisition.line_ids.purchase_line_ids.order_id
            requisition.purchase_order_ids = orders
            requisition.purchase_order_count = len(orders)

    def _approvers(self):
        """Who may approve: the rule's approvers, or (no rule for the amount)
        the job's project manager and the company's controllers."""
        self.ensure_one()
        if self.approval_rule_id:
            return self.approval_rule_id._approvers(self.job_id)
        controllers = self.env.ref("construction_base.group_controller").users.filtered(
            lambda user: self.company_id in user.company_ids
        )
        return self.job_id.user_id | controllers

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_lines(self):
        for requisition in self:
            if not requisition.line_ids:
                raise UserError(_("Requisition %s has no lines to submit.", requisition.name))
            requisition.line_ids._check_ready()

    def action_submit(self):
        """Send for approval: the rule of the amount band names the approvers,
        who get an activity."""
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(_("Only draft requisitions can be submitted."))
        self._check_lines()
        for requisition in self:
            rule = self.env["construction.requisition.approval.rule"]._rule_for(
                requisition.company_id, requisition.amount_total
            )
            requisition.write({"state": "submitted", "approval_rule_id": rule.id})
            requisition._schedule_approval_activities()
        return True

    def _schedule_approval_activities(self):
        for requisition in self:
            for approver in requisition._approvers():
                # Quick update: no notification mail, so approvers without an
                # email address do not make the submission fail.
                requisition.with_context(mail_activity_quick_update=True).activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approver.id,
                    summary=_("Approve requisition %s", requisition.name),
                    note=_(
                        "%(name)s for job %(job)s, estimated %(amount)s %(currency)s.",
                        name=requisition.name,
                        job=requisition.job_id.display_name,
                        amount=requisition.amount_total,
                        currency=requisition.currency_id.name,
                    ),
                )

    def _check_can_approve(self):
        for requisition in self:
            if requisition.state != "submitted":
                raise UserError(_("Requisition %s is not waiting for approval.", requisition.name))
            if self.env.su:
                continue
            if self.env.user not in requisition._approvers():
                who = (
                    requisition.approval_rule_id._describe(requisition.job_id)
                    if requisition.approval_rule_id
                    else _("the project manager of the job or a controller")
                )
                raise UserError(
                    _(
                        "You may not approve %(name)s (%(amount)s %(currency)s): its amount "
                        "band needs approval by %(who)s.",
                        name=requisition.name,
                        amount=requisition.amount_total,
                        currency=requisition.currency_id.name,
                        who=who,
                    )
                )

    def _check_budget_on_approval(self):
        """Hook: construction_job_costing refuses or warns here when the budget
        of a cost code would be exceeded. Returns warnings to post (none here)."""
        return []

    def action_approve(self):
        self._check_can_approve()
        warnings = self._check_budget_on_approval()
        self.write(
            {
                "state": "approved",
                "approved_by": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        for requisition in self:
            requisition.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Approved"))
            for warning in warnings:
                requisition.message_post(body=warning)
        self._emit("requisition.approved")
        return True

    def action_reject(self, reason):
        """Reject with a reason (required); the requester is told in the chatter."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the rejection."))
        self._check_can_approve()
        self.write({"state": "rejected", "rejection_reason": reason.strip()})
        for requisition in self:
            requisition.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=_("Rejected: %s", reason)
            )
        self._emit("requisition.rejected", {"reason": reason.strip()})
        return True

    def action_open_reject_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject %s", self.name),
            "res_model": "construction.requisition.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_requisition_id": self.id},
        }

    def action_cancel(self):
        if self.filtered(
            lambda r: r.line_ids.purchase_line_ids.filtered(lambda line: line.state != "cancel")
        ):
            raise UserError(_("Cancel the purchase orders of the requisition first."))
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_draft(self):
        if self.filtered(lambda r: r.state not in ("rejected", "cancelled")):
            raise UserError(_("Only rejected or cancelled requisitions go back to draft."))
        self.write({"state": "draft", "approval_rule_id": False, "rejection_reason": False})
        return True

    def action_open_order_wizard(self):
        orderable = self.filtered(lambda r: r.state in ("approved", "partially_ordered"))
        if orderable != self:
            raise UserError(_("Only approved requisitions can be ordered."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Create RFQs"),
            "res_model": "construction.requisition.order.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_view_purchase_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Purchase Orders"),
            "res_model": "purchase.order",
            "view_mode": "list,form",
            "domain": [("id", "in", self.purchase_order_ids.ids)],
        }

    def _sync_order_state(self):
        """Approved, partially ordered or ordered, from what the lines have on order."""
        for requisition in self.filtered(
            lambda r: r.state in ("approved", "partially_ordered", "ordered")
        ):
            lines = requisition.line_ids
            if all(line.qty_to_order <= 0 for line in lines):
                state = "ordered"
            elif any(line.qty_ordered > 0 for line in lines):
                state = "partially_ordered"
            else:
                state = "approved"
            if requisition.state != state:
                requisition.state = state

    def _emit(self, event_type, extra=None):
        data = {
            requisition.id: {
                "requisition": requisition.name,
                "external_id": requisition.external_id or None,
                "job": requisition.job_id.job_code,
                "state": requisition.state,
                "amount": requisition.amount_total,
                **(extra or {}),
            }
            for requisition in self
        }
        self.env["construction.sync.outbound"].emit(event_type, self, data)

    @api.constrains("phase_id", "job_id")
    def _check_phase(self):
        for requisition in self:
            if requisition.phase_id and requisition.phase_id.project_id != requisition.job_id:
                raise ValidationError(
                    _(
                        "Requisition %(name)s: phase %(phase)s belongs to job %(other)s, not "
                        "to %(job)s.",
                        name=requisition.name,
                        phase=requisition.phase_id.display_name,
                        other=requisition.phase_id.project_id.display_name,
                        job=requisition.job_id.display_name,
                    )
                )
