from collections import defaultdict
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import timesheet_rules as rules

# What approval freezes on a field line (changed afterwards only through an
# accepted amendment, or by a construction project manager).
FROZEN_FIELDS = frozenset(
    {
        "unit_amount",
        "amount",
        "date",
        "employee_id",
        "project_id",
        "task_id",
        "account_id",
        "phase_id",
        "cost_code_id",
    }
)
# Written only by the approval actions (and the field handlers, as superuser).
DECISION_FIELDS = frozenset(
    {
        "field_state",
        "field_approved_by",
        "field_approved_at",
        "field_rejected_by",
        "field_rejected_at",
        "field_rejection_reason",
        "field_hold_reason",
    }
)
COUNTED_STATES = ("submitted", "approved")


class AccountAnalyticLine(models.Model):
    """Crew time from the field: approval per job and day, limits, events.

    A field timesheet line is submitted; the job's site supervisor (or its
    project manager, a construction project manager or a controller)
    approves it, which makes it actual cost, or rejects it with a reason,
    which takes it out of the job cost for good. Approving the day of a job
    also approves the equipment hours booked on it that day. The field app
    hears of both through ``timesheet.approved`` / ``timesheet.rejected``.
    Lines that did not come from the field (empty ``field_state``) are left
    exactly as standard Odoo has them.
    """

    _inherit = "account.analytic.line"

    field_hold_reason = fields.Text(
        string="Hold Reason",
        readonly=True,
        copy=False,
        help="The limit this field time breaks (hours of the day, a date in the future): "
        "the supervisor confirms it when approving.",
    )
    field_rejection_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False)
    field_rejected_by = fields.Many2one(
        "res.users", string="Rejected By", readonly=True, copy=False
    )
    field_rejected_at = fields.Datetime(string="Rejected At", readonly=True, copy=False)

    _sql_constraints = [
        (
            "field_entry_employee_uniq",
            "UNIQUE (field_source_id, field_external_id, employee_id)",
            "A field entry has one line per employee.",
        )
    ]

    @api.constrains("unit_amount", "field_state", "employee_id")
    def _check_field_hours(self):
        for line in self:
            if line.field_state and line.employee_id and not 0 <= line.unit_amount <= 24:
                raise ValidationError(
                    _(
                        "Field time of %(employee)s on %(date)s: %(hours)s hours is not "
                        "between 0 and 24.",
                        employee=line.employee_id.name,
                        date=line.date,
                        hours=line.unit_amount,
                    )
                )

    # ------------------------------------------------------------------
    # Protected writes
    # ------------------------------------------------------------------

    def _field_is_manager(self):
        return self.env.su or self.env.user.has_group("construction_base.group_project_manager")

    def _field_guard(self, vals, creating=False):
        """Decisions are taken only by the approval actions; decided lines are
        read-only to non-managers, except through an accepted amendment."""
        context = self.env.context
        if self.env.su or context.get("construction_field_amendment"):
            return
        decision = DECISION_FIELDS.intersection(vals)
        if creating:
            # A crew entry creates submitted lines (with the hold reason of a limit).
            decision -= {"field_hold_reason"}
            if vals.get("field_state") in (False, None, "submitted"):
                decision -= {"field_state"}
        if decision and not context.get("construction_field_approval"):
            raise UserError(
                _(
                    "The approval of field time changes only through Approve and Reject "
                    "(fields: %(fields)s).",
                    fields=", ".join(sorted(decision)),
                )
            )
        if creating or not FROZEN_FIELDS.intersection(vals):
            return
        decided = self.filtered(lambda line: line.field_state in ("approved", "rejected"))
        if decided and not self._field_is_manager():
            line = decided[0]
            raise UserError(
                _(
                    "The time of %(employee)s on %(date)s is %(state)s: it can no longer be "
                    "changed, except by a project manager. Changes from the field become an "
                    "amendment for the approver.",
                    employee=line.employee_id.name or line.name,
                    date=line.date,
                    state=dict(self._fields["field_state"]._description_selection(self.env))[
                        line.field_state
                    ],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._field_guard(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._field_guard(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided_field_time(self):
        if self._field_is_manager():
            return
        decided = self.filtered(lambda line: line.field_state in ("approved", "rejected"))
        if decided:
            raise UserError(
                _(
                    "Approved or rejected field time cannot be deleted (%(count)s lines); "
                    "ask a project manager.",
                    count=len(decided),
                )
            )

    # ------------------------------------------------------------------
    # Batched creation (context ``construction_field_batch``)
    # ------------------------------------------------------------------
    # hr_timesheet resolves the analytic accounts of every line's project
    # (with the mandatory plans of its company) and then rewrites each created
    # line, one write per line, with the amount it computes at the employee's
    # hourly cost. For a batch of field time the accounts are the same for
    # every line of a project and company, and many lines share one amount
    # (same hours, same cost): the accounts are resolved once, and the amounts
    # hr_timesheet computes are written once per distinct value after the
    # create. Outside such a batch, standard Odoo runs unchanged.

    def _timesheet_preprocess_get_accounts(self, vals):
        if not self.env.context.get("construction_field_batch") or not vals.get("project_id"):
            return super()._timesheet_preprocess_get_accounts(vals)
        cache = self.env.cr.cache.setdefault("construction_field_accounts", {})
        key = (vals["project_id"], vals.get("company_id"))
        if key not in cache:
            cache[key] = super()._timesheet_preprocess_get_accounts(vals)
        return dict(cache[key])

    def _timesheet_postprocess(self, values):
        pending = self.env.cr.cache.get("construction_field_postprocess")
        if pending is None or not self.env.context.get("construction_field_batch"):
            return super()._timesheet_postprocess(values)
        for line_id, todo in self._timesheet_postprocess_values(values).items():
            if todo:
                pending.append((line_id, todo))
        return values

    @api.model
    def _field_batch_create(self, vals_list):
        """Create field lines in one go, as hr_timesheet would one by one (see above)."""
        cache = self.env.cr.cache
        cache["construction_field_postprocess"] = pending = []
        try:
            lines = self.with_context(construction_field_batch=True).create(vals_list)
        finally:
            cache.pop("construction_field_postprocess", None)
            cache.pop("construction_field_accounts", None)
        grouped = defaultdict(list)
        for line_id, todo in pending:
            grouped[tuple(sorted(todo.items()))].append(line_id)
        for items, line_ids in grouped.items():
            self.sudo().browse(line_ids).write(dict(items))
        return lines

    # ------------------------------------------------------------------
    # Limits
    # ------------------------------------------------------------------

    @api.model
    def _field_day_hours(self, employee_ids, dates, exclude_ids=()):
        """{(employee id, date): hours} that count for the daily limit: every
        timesheet (plain ones too) that is neither rejected nor withdrawn."""
        if not employee_ids or not dates:
            return {}
        domain = [
            ("employee_id", "in", list(set(employee_ids))),
            ("date", "in", list(set(dates))),
            ("project_id", "!=", False),
            "|",
            ("field_state", "=", False),
            ("field_state", "in", COUNTED_STATES),
        ]
        if exclude_ids:
            domain.append(("id", "not in", list(exclude_ids)))
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(domain, ["employee_id", "date:day"], ["unit_amount:sum"])
        )
        return {
            (employee.id, day): Decimal(str(round(hours or 0.0, 6)))
            for employee, day, hours in groups
        }

    @api.model
    def _field_today(self, employees, now=None):
        """{employee id: today where the employee works} (their time zone, else
        the company's, else UTC)."""
        now = now or fields.Datetime.now()
        cache = {}
        result = {}
        for employee in employees:
            tz = employee.tz or employee.company_id.partner_id.tz or "UTC"
            if tz not in cache:
                cache[tz] = rules.local_today(now, tz)
            result[employee.id] = cache[tz]
        return result

    @api.model
    def _field_breach_text(self, breach):
        """The reason of a breach, as the supervisor reads it."""
        if breach.kind == rules.FUTURE_DATE:
            return self.env._(
                "Dated %(date)s, after today (%(today)s).",
                date=breach.day.isoformat(),
                today=breach.today.isoformat() if breach.today else "?",
            )
        return self.env._(
            "%(employee)s would have %(total)s h on %(date)s (%(already)s h already recorded): "
            "over the daily limit of %(limit)s h.",
            employee=breach.employee,
            total=f"{breach.total:.2f}",
            date=breach.day.isoformat(),
            already=f"{breach.already:.2f}",
            limit=f"{breach.limit:.2f}",
        )

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def _field_check_can_decide(self):
        """Who approves or rejects field time: a member of the job's team, its
        project manager, a construction project manager or a controller; never
        the person whose time it is."""
        if self.env.su:
            return
        user = self.env.user
        office = user.has_group("construction_base.group_project_manager")
        for job in self.sudo().job_id:
            if not (office or job.user_id == user or user in job.job_member_ids):
                raise UserError(
                    _(
                        "You may not approve or reject the field time of job %(job)s: only "
                        "its team, its project manager or a controller may.",
                        job=job.display_name,
                    )
                )
        own = self.sudo().filtered(
            lambda line: line.project_id and line.employee_id.user_id == user
        )
        if own:
            raise UserError(
                _(
                    "You may not approve or reject your own time (%(employee)s, %(date)s): "
                    "another supervisor of the job or its project manager does.",
                    employee=own[0].employee_id.name,
                    date=own[0].date,
                )
            )

    def _field_same_day_equipment(self):
        """Submitted equipment hours (field lines that are not timesheets) of
        the jobs and days of these lines."""
        pairs = {(line.job_id.id, line.date) for line in self if line.job_id}
        if not pairs:
            return self.browse()
        lines = self.sudo().search(
            [
                ("field_state", "=", "submitted"),
                ("project_id", "=", False),
                ("job_id", "in", list({job for job, _d in pairs})),
                ("date", "in", list({day for _j, day in pairs})),
            ]
        )
        return lines.filtered(lambda line: (line.job_id.id, line.date) in pairs)

    def action_field_approve(self, confirm_hold=False):
        """Approve the submitted field time selected, and the equipment hours
        booked on the same jobs and days. Held time (a limit broken) is
        approved only when confirmed."""
        self.check_access("read")
        lines = self.sudo().filtered(lambda line: line.field_state == "submitted")
        if not lines:
            raise UserError(_("None of the selected lines is field time waiting for approval."))
        lines |= lines._field_same_day_equipment()
        lines.with_env(self.env)._field_check_can_decide()
        held = lines.filtered("field_hold_reason")
        if held and not (confirm_hold or self.env.context.get("construction_field_confirm_hold")):
            raise UserError(
                _(
                    "%(count)s of these lines are held because they break a limit, for "
                    "example %(employee)s on %(date)s: %(reason)s\nCheck them, then use "
                    '"Confirm & Approve" to approve them anyway, or reject them.',
                    count=len(held),
                    employee=held[0].employee_id.name or held[0].name,
                    date=held[0].date,
                    reason=held[0].field_hold_reason,
                )
            )
        lines.with_context(construction_field_approval=True).write(
            {
                "field_state": "approved",
                "field_approved_by": self.env.uid,
                "field_approved_at": fields.Datetime.now(),
            }
        )
        lines._field_emit("timesheet.approved")
        return True

    def action_field_approve_held(self):
        """Approve, confirming the held time (its hold reason stays as the record)."""
        return self.action_field_approve(confirm_hold=True)

    def action_field_approve_day(self):
        """Approve the whole day: every submitted field line (crew time and
        equipment) of the jobs and dates of the selected lines."""
        self.check_access("read")
        pairs = {(line.job_id.id, line.date) for line in self.sudo() if line.job_id}
        if not pairs:
            raise UserError(_("Select field time of a job to approve its day."))
        candidates = self.sudo().search(
            [
                ("field_state", "=", "submitted"),
                ("job_id", "in", list({job for job, _d in pairs})),
                ("date", "in", list({day for _j, day in pairs})),
            ]
        )
        day_lines = candidates.filtered(lambda line: (line.job_id.id, line.date) in pairs)
        if not day_lines:
            raise UserError(_("Nothing of these days is waiting for approval."))
        return day_lines.with_env(self.env).action_field_approve()

    def action_field_reject(self, reason):
        """Reject submitted field time with a reason (sent to the field app)."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason of the rejection: the crew's foreman reads it."))
        self.check_access("read")
        lines = self.sudo().filtered(lambda line: line.field_state == "submitted")
        if not lines:
            raise UserError(_("None of the selected lines is field time waiting for approval."))
        lines.with_env(self.env)._field_check_can_decide()
        lines.with_context(construction_field_approval=True).write(
            {
                "field_state": "rejected",
                "field_rejection_reason": reason,
                "field_rejected_by": self.env.uid,
                "field_rejected_at": fields.Datetime.now(),
            }
        )
        lines._field_emit("timesheet.rejected", reason=reason)
        return True

    def action_open_field_reject_wizard(self):
        lines = self.filtered(lambda line: line.field_state == "submitted")
        if not lines:
            raise UserError(_("None of the selected lines is field time waiting for approval."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Field Time"),
            "res_model": "construction.timesheet.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_ids": lines.ids},
        }

    # ------------------------------------------------------------------
    # Amendments
    # ------------------------------------------------------------------

    def _field_apply_amendment(self, amendment):
        result = super()._field_apply_amendment(amendment)
        if amendment.kind == "change" and self.field_state == "approved":
            # The field app hears of the figures it now has to show.
            self._field_emit("timesheet.approved", amended=True)
        return result

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------

    @api.model
    def _field_employee_ref(self, employee):
        """How the field app names the employee: badge, identification or email."""
        employee = employee.sudo()
        return employee.barcode or employee.identification_id or employee.work_email or None

    def _field_event_data(self, **extra):
        data = {}
        for line in self.sudo():
            data[line.id] = {
                "external_id": line.field_external_id or None,
                "employee": self._field_employee_ref(line.employee_id),
                "employee_name": line.employee_id.name,
                "job": line.job_id.job_code or None,
                "phase": line.phase_id.code or None,
                "cost_code": line.cost_code_id.code or None,
                "date": fields.Date.to_string(line.date),
                "hours": line.unit_amount,
                "state": line.field_state,
                "approved_by": line.field_approved_by.login or None,
                "hold_reason": line.field_hold_reason or None,
                **extra,
            }
        return data

    def _field_emit(self, event_type, **extra):
        """``timesheet.*`` events for the crew time among these lines (equipment
        hours have their own)."""
        time_lines = self.sudo().filtered(lambda line: line.employee_id and line.project_id)
        if time_lines:
            self.env["construction.sync.outbound"].emit(
                event_type, time_lines, time_lines._field_event_data(**extra)
            )

    # ------------------------------------------------------------------
    # Crew entry (UI)
    # ------------------------------------------------------------------

    @api.model
    def _field_check_limits(self, company, people, exclude_ids=()):
        """Check a crew's time against the company's limits. ``people``:
        [(employee, date, hours)]. Returns {index: hold reason}, or raises a
        UserError naming every breach when the company refuses them."""
        today = self._field_today(self.env["hr.employee"].union(*[p[0] for p in people]))
        stored = self._field_day_hours(
            [employee.id for employee, _d, _h in people],
            [day for _e, day, _h in people],
            exclude_ids,
        )
        entries = [
            rules.TimeEntry(
                employee.id,
                employee.name,
                day,
                Decimal(str(hours)),
                today[employee.id],
            )
            for employee, day, hours in people
        ]
        verdict = rules.check_entries(
            [entries],
            stored,
            Decimal(str(company.construction_field_daily_hours)),
            company.construction_field_limit_action,
        )[0]
        if verdict.refused:
            raise UserError(
                "\n".join(self._field_breach_text(breach) for breach in verdict.all_breaches())
            )
        reasons = defaultdict(list)
        for index, breaches in verdict.breaches.items():
            reasons[index].extend(self._field_breach_text(breach) for breach in breaches)
        return {index: "\n".join(texts) for index, texts in reasons.items()}
