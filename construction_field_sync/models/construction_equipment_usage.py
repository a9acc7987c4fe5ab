from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain.field_dates import latest_today

# What the analytic line of a usage is made of: a change to one rebooks it.
BOOKED_FIELDS = frozenset(
    {
        "equipment_id",
        "job_id",
        "phase_id",
        "cost_code_id",
        "date",
        "hours",
        "hourly_rate",
        "employee_id",
        "description",
    }
)
BOOKKEEPING_FIELDS = frozenset(
    {"field_external_id", "field_source_id", "field_device", "field_occurred_at"}
)
# The analytic lines of equipment carry the usage's field app id under this
# prefix, so that they never answer for a timesheet of the same app id.
LINE_EXTERNAL_PREFIX = "equipment:"


class ConstructionEquipmentUsage(models.Model):
    """Hours of one piece of equipment on a job, phase and cost code.

    Each usage books ``hours x rate`` as one analytic line of the job (a cost:
    negative amount, ``unit_amount`` = hours, no project and no employee, so
    not a timesheet), submitted like the crew's time and approved with the
    crew time of the same day. The usage's state is its line's approval
    state: approved lines are actual cost in the job cost report, submitted
    ones pending. An approved usage changes only through an accepted
    amendment; a change from the field becomes one.
    """

    _name = "construction.equipment.usage"
    _description = "Equipment Usage"
    # No chatter: a site's month of equipment hours arrives by the tens of
    # thousands, and the versions a later change overwrites are kept as field
    # revisions (the "Versions" button) all the same.
    _inherit = ["construction.field.record", "construction.job.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _field_versioned_fields = (
        "equipment_id",
        "job_id",
        "phase_id",
        "cost_code_id",
        "date",
        "hours",
        "hourly_rate",
        "employee_id",
        "description",
        "state",
    )

    equipment_id = fields.Many2one(
        "construction.equipment",
        string="Equipment",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    job_id = fields.Many2one(required=True, check_company=True)
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_code_id = fields.Many2one(
        required=True,
        domain="[('company_id', 'in', (construction_company_id, False)), "
        "('cost_type', '=', 'equipment')]",
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    hours = fields.Float(required=True, digits=(16, 2))
    employee_id = fields.Many2one(
        "hr.employee", string="Operator", check_company=True, ondelete="restrict"
    )
    description = fields.Char()
    hourly_rate = fields.Monetary(
        string="Rate Used",
        compute="_compute_hourly_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="The equipment's hourly cost rate when its hours were recorded.",
    )
    amount = fields.Monetary(compute="_compute_amount", store=True)
    analytic_line_ids = fields.One2many("account.analytic.line", "equipment_usage_id")
    analytic_line_id = fields.Many2one(
        "account.analytic.line",
        string="Cost Line",
        compute="_compute_analytic_line_id",
        store=True,
        index="btree_not_null",
    )
    state = fields.Selection(
        related="analytic_line_id.field_state", store=True, string="Status", index=True
    )
    approved_by = fields.Many2one(related="analytic_line_id.field_approved_by")
    approved_at = fields.Datetime(related="analytic_line_id.field_approved_at")

    @api.depends("equipment_id", "date", "hours")
    def _compute_display_name(self):
        # Codes, a date and hours: nothing to translate (and thousands at once).
        for usage in self:
            day = fields.Date.to_string(usage.date) if usage.date else ""
            usage.display_name = f"{usage.equipment_id.code or ''} {day} {usage.hours:g} h".strip()

    @api.depends("equipment_id")
    def _compute_hourly_rate(self):
        for usage in self:
            usage.hourly_rate = usage.equipment_id.hourly_rate

    @api.depends("hours", "hourly_rate", "currency_id")
    def _compute_amount(self):
        for usage in self:
            amount = usage.hours * usage.hourly_rate
            usage.amount = usage.currency_id.round(amount) if usage.currency_id else amount

    @api.depends("analytic_line_ids")
    def _compute_analytic_line_id(self):
        for usage in self:
            usage.analytic_line_id = usage.analytic_line_ids[:1]

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id.cost_code_id:
            self.cost_code_id = self.equipment_id.cost_code_id

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.constrains("hours")
    def _check_hours(self):
        for usage in self:
            if not 0 <= usage.hours <= 24:
                raise ValidationError(
                    _(
                        "%(usage)s: hours must be between 0 and 24, not %(hours)s.",
                        usage=usage.equipment_id.display_name,
                        hours=usage.hours,
                    )
                )

    @api.constrains("cost_code_id")
    def _check_cost_code_type(self):
        for usage in self:
            code = usage.cost_code_id
            if code and code.cost_type != "equipment":
                raise ValidationError(
                    _(
                        "Cost code %(code)s is not an equipment cost code: equipment hours go "
                        "on a cost code of type Equipment.",
                        code=code.display_name,
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        latest = latest_today(fields.Datetime.now())
        for usage in self:
            if usage.date and usage.date > latest:
                raise ValidationError(
                    _(
                        "%(equipment)s: the date %(date)s is in the future; record hours once "
                        "they are worked.",
                        equipment=usage.equipment_id.display_name,
                        date=fields.Date.to_string(usage.date),
                    )
                )

    # ------------------------------------------------------------------
    # The analytic line it books
    # ------------------------------------------------------------------

    def _hour_uom(self):
        return self.env.ref("uom.product_uom_hour")

    def _analytic_line_values(self, hour_uom=None):
        """The values of the analytic line that books this usage."""
        self.ensure_one()
        account = self.job_id.sudo().account_id
        if not account:
            raise ValidationError(
                _(
                    "Job %(job)s has no analytic account: equipment hours cannot be booked on it.",
                    job=self.job_id.display_name,
                )
            )
        currency = self.company_id.currency_id
        name = " - ".join(
            part for part in (self.equipment_id.display_name, self.description or "") if part
        )
        return {
            "name": name,
            "account_id": account.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "unit_amount": self.hours,
            "amount": -currency.round(self.hours * self.hourly_rate),
            "product_uom_id": (hour_uom or self._hour_uom()).id,
            # Not a timesheet: no employee (and no default looked up per line).
            "employee_id": False,
            "phase_id": self.phase_id.id,
            "cost_code_id": self.cost_code_id.id,
            "field_external_id": f"{LINE_EXTERNAL_PREFIX}{self.field_external_id}"
            if self.field_external_id
            else False,
            "field_source_id": self.field_source_id.id,
            "field_device": self.field_device,
            "field_occurred_at": self.field_occurred_at,
        }

    def _book_analytic_lines(self):
        """One analytic line per usage (one create), submitted for approval."""
        to_book = self.filtered(lambda usage: not usage.analytic_line_ids)
        if not to_book:
            return self.env["account.analytic.line"]
        hour_uom = self._hour_uom()
        return (
            self.env["account.analytic.line"]
            .sudo()
            .create(
                [
                    {
                        **usage._analytic_line_values(hour_uom),
                        "field_state": "submitted",
                        "equipment_usage_id": usage.id,
                    }
                    for usage in to_book
                ]
            )
        )

    def _sync_analytic_lines(self, extra=None):
        """Rewrite the lines after the usage changed; ``extra``: more line values."""
        Line = self.env["account.analytic.line"].sudo()
        if self.env.context.get("construction_field_amendment"):
            Line = Line.with_context(construction_field_amendment=True)
        hour_uom = self._hour_uom() if self else None
        for usage in self:
            line = usage.analytic_line_ids[:1]
            if not line:
                usage._book_analytic_lines()
                continue
            Line.browse(line.id).write({**usage._analytic_line_values(hour_uom), **(extra or {})})

    @api.model_create_multi
    def create(self, vals_list):
        usages = super().create(vals_list)
        usages._book_analytic_lines()
        return usages

    def write(self, vals):
        amending = self.env.context.get("construction_field_amendment")
        if not amending and set(vals) & BOOKED_FIELDS:
            approved = self.filtered(lambda usage: usage.state == "approved")
            if approved:
                raise UserError(
                    _(
                        "%(usage)s is approved: it can only change through an amendment "
                        "accepted by its approver.",
                        usage=approved[0].display_name,
                    )
                )
            withdrawn = self.filtered(lambda usage: usage.state == "cancelled")
            if withdrawn:
                raise UserError(
                    _(
                        "%(usage)s was withdrawn: record the hours again instead.",
                        usage=withdrawn[0].display_name,
                    )
                )
        rejected = self.filtered(lambda usage: usage.state == "rejected")
        result = super().write(vals)
        if set(vals) & (BOOKED_FIELDS | BOOKKEEPING_FIELDS):
            # Corrected after a rejection: submitted again for approval.
            (self - rejected)._sync_analytic_lines()
            if set(vals) & BOOKED_FIELDS:
                rejected._sync_analytic_lines({"field_state": "submitted"})
            else:
                rejected._sync_analytic_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        approved = self.filtered(lambda usage: usage.state == "approved")
        if approved:
            raise UserError(
                _(
                    "%(usage)s is approved and cannot be deleted; withdraw it instead.",
                    usage=approved[0].display_name,
                )
            )

    def unlink(self):
        lines = self.sudo().analytic_line_ids
        result = super().unlink()
        lines.exists().unlink()
        return result

    # ------------------------------------------------------------------
    # Offline rules and amendments
    # ------------------------------------------------------------------

    def _field_amendment_approver(self):
        self.ensure_one()
        return self.analytic_line_id.field_approved_by

    def _field_withdraw(self, occurred_at):
        """Withdrawn: its line stops counting (state cancelled)."""
        self.with_context(construction_field_amendment=True).write(
            {"field_occurred_at": occurred_at}
        )
        return (
            self.analytic_line_ids.sudo()
            .with_context(construction_field_amendment=True)
            .write({"field_state": "cancelled"})
        )

    def _field_resubmit(self):
        """Submitted again (a newer change from the field after a rejection or
        a withdrawal)."""
        lines = self.analytic_line_ids.filtered(
            lambda line: line.field_state in ("rejected", "cancelled")
        )
        return lines.sudo().write({"field_state": "submitted"})

    def action_withdraw(self):
        """Withdraw the hours (they stop counting). An approved usage is
        withdrawn only by its approver or a controller."""
        controller = self.env.user.has_group("construction_base.group_controller")
        for usage in self:
            if usage.state == "approved" and not controller and usage.approved_by != self.env.user:
                raise UserError(
                    _(
                        "%(usage)s was approved by %(approver)s: only they or a controller "
                        "can withdraw it.",
                        usage=usage.display_name,
                        approver=usage.approved_by.name or _("someone else"),
                    )
                )
        self.filtered(lambda usage: usage.state != "cancelled")._field_withdraw(
            fields.Datetime.now()
        )
        return True

    def action_open_analytic_line(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.analytic.line",
            "res_id": self.analytic_line_id.id,
            "view_mode": "form",
        }
