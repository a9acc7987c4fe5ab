from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..domain.pay_application import (
    RetainageTerms,
    compute_application,
    percent_of,
    percent_problem,
)

PAY_APPLICATION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("certified", "Certified"),
    ("invoiced", "Invoiced"),
]
OPEN_STATES = ("draft", "submitted")
CERTIFIED_STATES = ("certified", "invoiced")
# What may still change on a certified application: its state (invoiced when
# its invoice is posted) and its chatter.
CERTIFIED_WRITABLE = {"state", "invoice_id"}
SUMMARY_FIELDS = {
    "original_contract_sum": "original_contract_sum",
    "net_change_orders": "net_change_orders",
    "contract_sum_to_date": "contract_sum_to_date",
    "total_completed_stored": "total_completed_stored",
    "retainage_work": "work_retainage",
    "retainage_stored": "stored_retainage",
    "retainage_total": "retainage",
    "total_earned_less_retainage": "total_earned_less_retainage",
    "previous_certificates": "previous_certificates",
    "current_payment_due": "current_payment_due",
    "balance_to_finish_with_retainage": "balance_to_finish_with_retainage",
    "billed_this_period": "billed_this_period",
    "retainage_this_period": "retainage_this_period",
    "percent_complete": "percent_complete",
}
TERM_FIELDS = (
    "retainage_work_percent",
    "retainage_stored_percent",
    "retainage_reduced_percent",
    "retainage_reduction_at_percent",
)


class ConstructionPayApplication(models.Model):
    """A progress billing to the owner for one period of a job, in the form of
    the standard application and certificate for payment: a continuation sheet
    (one line per schedule of values line) and the summary lines 1 to 9.
    Certifying it creates the customer invoice of the period; the next one
    starts from its certified totals. The arithmetic is in
    ``domain/pay_application.py``."""

    _name = "construction.pay.application"
    _description = "Pay Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "job_id, number desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, index=True)
    number = fields.Integer(
        readonly=True, copy=False, help="Application number, in sequence within the job."
    )
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        domain="[('is_job', '=', True)]",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="job_id.partner_id", string="Owner")
    period_end = fields.Date(string="Period To", required=True, tracking=True)
    date = fields.Date(string="Application Date", default=fields.Date.context_today, required=True)
    state = fields.Selection(
        PAY_APPLICATION_STATES,
        string="Status",
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    previous_id = fields.Many2one(
        "construction.pay.application",
        string="Previous Application",
        readonly=True,
        copy=False,
        help="The certified application this one starts from.",
    )
    line_ids = fields.One2many(
        "construction.pay.application.line", "application_id", string="Continuation Sheet"
    )
    retainage_work_percent = fields.Float(
        string="Retainage on Work %",
        digits=(5, 2),
        compute="_compute_retainage_terms",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Retained on the work completed (D + E).",
    )
    retainage_stored_percent = fields.Float(
        string="Retainage on Stored Materials %",
        digits=(5, 2),
        compute="_compute_retainage_terms",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Retained on the materials presently stored (F).",
    )
    retainage_reduced_percent = fields.Float(
        string="Reduced Retainage on Work %",
        digits=(5, 2),
        compute="_compute_retainage_terms",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Retained on the work done beyond the reduction point.",
    )
    retainage_reduction_at_percent = fields.Float(
        string="Reduce Retainage at % Complete",
        digits=(5, 2),
        compute="_compute_retainage_terms",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The share of the contract sum to date (work completed, D + E) beyond which "
        "work is retained at the reduced rate; the retainage already held on the work "
        "before that point stays held. 0: no reduction.",
    )
    # Summary of the application (lines 1 to 9)
    original_contract_sum = fields.Monetary(
        string="1. Original Contract Sum", compute="_compute_summary", store=True
    )
    net_change_orders = fields.Monetary(
        string="2. Net Change by Change Orders", compute="_compute_summary", store=True
    )
    contract_sum_to_date = fields.Monetary(
        string="3. Contract Sum to Date", compute="_compute_summary", store=True
    )
    total_completed_stored = fields.Monetary(
        string="4. Total Completed and Stored to Date",
        compute="_compute_summary",
        store=True,
        help="Column G total: what the owner has been billed for, gross of retainage.",
    )
    retainage_work = fields.Monetary(
        string="5a. Retainage on Completed Work", compute="_compute_summary", store=True
    )
    retainage_stored = fields.Monetary(
        string="5b. Retainage on Stored Material", compute="_compute_summary", store=True
    )
    retainage_total = fields.Monetary(
        string="5. Total Retainage", compute="_compute_summary", store=True
    )
    total_earned_less_retainage = fields.Monetary(
        string="6. Total Earned Less Retainage", compute="_compute_summary", store=True
    )
    previous_certificates = fields.Monetary(
        string="7. Less Previous Certificates for Payment",
        compute="_compute_summary",
        store=True,
    )
    current_payment_due = fields.Monetary(
        string="8. Current Payment Due", compute="_compute_summary", store=True
    )
    balance_to_finish_with_retainage = fields.Monetary(
        string="9. Balance to Finish, Including Retainage",
        compute="_compute_summary",
        store=True,
    )
    billed_this_period = fields.Monetary(
        string="Billed This Period",
        compute="_compute_summary",
        store=True,
        help="Work completed and stored this period (growth of G): the work lines of the "
        "invoice.",
    )
    retainage_this_period = fields.Monetary(
        string="Retainage This Period",
        compute="_compute_summary",
        store=True,
        help="Line 5 less line 5 of the previous application: the retention line of the "
        "invoice.",
    )
    percent_complete = fields.Float(
        string="% Complete",
        digits=(5, 2),
        compute="_compute_summary",
        store=True,
        help="Work completed (D + E, without stored materials) / contract sum to date.",
    )
    invoice_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, copy=False, check_company=True
    )
    invoice_state = fields.Selection(related="invoice_id.state", string="Invoice Status")
    date_certified = fields.Date(readonly=True, copy=False)
    certified_by = fields.Many2one("res.users", readonly=True, copy=False)

    _sql_constraints = [
        (
            "number_job_uniq",
            "unique (job_id, number)",
            "Pay application numbers are unique per job.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("job_id.job_code", "number")
    def _compute_name(self):
        for application in self:
            application.name = (
                f"{application.job_id.job_code}-PA-{application.number:03d}"
                if application.number and application.job_id.job_code
                else _("New")
            )

    @api.depends("job_id")
    def _compute_retainage_terms(self):
        """The terms of the job's last application, else the job's retention %."""
        previous = self._last_certified(self.job_id)
        for application in self:
            if application.state not in OPEN_STATES:
                continue
            last = previous.get(application.job_id.id)
            if last:
                for fname in TERM_FIELDS:
                    application[fname] = last[fname]
            else:
                rate = application.job_id.retention_percent
                application.retainage_work_percent = rate
                application.retainage_stored_percent = rate
                application.retainage_reduced_percent = rate
                application.retainage_reduction_at_percent = 0.0

    def _retainage_terms(self):
        self.ensure_one()
        reduce_at = self.retainage_reduction_at_percent
        return RetainageTerms.of(
            self.retainage_work_percent,
            self.retainage_stored_percent,
            self.retainage_reduced_percent if reduce_at else None,
            reduce_at or None,
        )

    def _compute_figures(self):
        """The domain's (line results by line record, summary) of the application."""
        self.ensure_one()
        lines = self.line_ids
        inputs = [line._line_input() for line in lines]
        previous = self.previous_id
        results, summary = compute_application(
            inputs,
            self._retainage_terms(),
            previous_certificates=previous.total_earned_less_retainage,
            previous_retainage=previous.retainage_total,
        )
        return dict(zip(lines, results, strict=True)), summary

    @api.depends(
        "state",
        *TERM_FIELDS,
        # The previous application is certified: its figures no longer change.
        "previous_id",
        "line_ids.scheduled_value",
        "line_ids.original_value",
        "line_ids.change_order_value",
        "line_ids.previous_work",
        "line_ids.previous_stored",
        "line_ids.previous_work_retainage",
        "line_ids.work_this_period",
        "line_ids.stored_materials",
    )
    def _compute_summary(self):
        for application in self:
            if application.state in CERTIFIED_STATES and application.id:
                continue  # certified figures stay as certified
            _results, summary = application._compute_figures()
            for fname, attribute in SUMMARY_FIELDS.items():
                application[fname] = float(getattr(summary, attribute))

    # ------------------------------------------------------------------
    # Sequence and consistency
    # ------------------------------------------------------------------

    @api.model
    def _last_certified(self, jobs):
        """{job id: its certified application with the latest number}."""
        if not jobs:
            return {}
        applications = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("job_id", "in", jobs.ids), ("state", "in", CERTIFIED_STATES)],
                order="number desc",
            )
        )
        last = {}
        for application in applications:
            last.setdefault(application.job_id.id, application)
        return last

    @api.model_create_multi
    def create(self, vals_list):
        job_ids = list({vals["job_id"] for vals in vals_list if vals.get("job_id")})
        if job_ids:
            # Serialise the applications of a job; the unique constraint holds anyway.
            self.env.cr.execute(
                "SELECT id FROM project_project WHERE id = ANY(%s) FOR UPDATE", [job_ids]
            )
        jobs = self.env["project.project"].browse(job_ids)
        existing = self.sudo().search([("job_id", "in", job_ids)], order="number desc")
        last_number, open_ones = {}, {}
        for application in existing:
            last_number.setdefault(application.job_id.id, application.number)
            if application.state in OPEN_STATES:
                open_ones.setdefault(application.job_id.id, application)
        certified = self._last_certified(jobs)
        for vals in vals_list:
            job_id = vals.get("job_id")
            if not job_id:
                continue
            job = jobs.browse(job_id)
            if open_ones.get(job_id):
                raise UserError(
                    _(
                        "Pay application %(application)s of job %(job)s is still %(state)s: "
                        "certify or delete it before starting the next one.",
                        application=open_ones[job_id].name,
                        job=job.display_name,
                        state=dict(PAY_APPLICATION_STATES)[open_ones[job_id].state],
                    )
                )
            last_number[job_id] = last_number.get(job_id, 0) + 1
            vals["number"] = last_number[job_id]
            vals["previous_id"] = certified[job_id].id if certified.get(job_id) else False
            open_ones[job_id] = True
        applications = super().create(vals_list)
        applications._check_period()
        applications._add_schedule_lines(
            self.env["construction.sov.line"].sudo().search([("job_id", "in", job_ids)])
        )
        return applications

    def write(self, vals):
        if not self.env.context.get("construction_pay_application_system"):
            self._check_editable(vals)
        result = super().write(vals)
        if "period_end" in vals:
            self._check_period()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for application in self:
            if application.state != "draft":
                raise UserError(
                    _(
                        "Pay application %(application)s is %(state)s: only a draft can be "
                        "deleted.",
                        application=application.name,
                        state=dict(PAY_APPLICATION_STATES)[application.state],
                    )
                )

    def _check_editable(self, vals):
        """Certified applications are final; submitted ones are reset to draft first."""
        changed = {
            fname
            for fname in vals
            if fname not in CERTIFIED_WRITABLE and not fname.startswith(("message_", "activity_"))
        }
        if not changed:
            return
        for application in self:
            if application.state in CERTIFIED_STATES:
                raise UserError(
                    _(
                        "Pay application %(application)s is certified and cannot be changed. "
                        "Bill a correction on the next application.",
                        application=application.name,
                    )
                )
            if application.state == "submitted":
                raise UserError(
                    _(
                        "Pay application %(application)s is submitted: reset it to draft to "
                        "change it.",
                        application=application.name,
                    )
                )

    def _check_period(self):
        for application in self:
            previous = application.previous_id
            if not previous or not application.period_end:
                continue
            if application.period_end == previous.period_end:
                raise ValidationError(
                    _(
                        "The period to %(date)s of job %(job)s is already certified on pay "
                        "application %(previous)s: choose the end of the next period.",
                        date=format_date(self.env, application.period_end),
                        job=application.job_id.display_name,
                        previous=previous.name,
                    )
                )
            if application.period_end < previous.period_end:
                raise ValidationError(
                    _(
                        "Pay application %(application)s is out of sequence: its period ends "
                        "%(date)s, before the period to %(previous_date)s of the previous "
                        "application %(previous)s.",
                        application=application.name,
                        date=format_date(self.env, application.period_end),
                        previous_date=format_date(self.env, previous.period_end),
                        previous=previous.name,
                    )
                )

    @api.constrains(*TERM_FIELDS)
    def _check_retainage_terms(self):
        for application in self:
            for fname in TERM_FIELDS:
                if percent_problem(application[fname]):
                    raise ValidationError(
                        _(
                            "Pay application %(application)s: %(term)s is %(value)s; it must "
                            "be between 0 and 100.",
                            application=application.name,
                            term=self._fields[fname]._description_string(self.env),
                            value=application[fname],
                        )
                    )

    @api.model
    def _add_schedule_lines(self, sov_lines):
        """Give the open applications of the jobs of ``sov_lines`` a line for
        each of them they have not got."""
        if not sov_lines:
            return self.env["construction.pay.application.line"]
        applications = self.sudo().search(
            [("job_id", "in", sov_lines.job_id.ids), ("state", "in", OPEN_STATES)]
        )
        have = {(line.application_id.id, line.sov_line_id.id) for line in applications.line_ids}
        vals_list = [
            {"application_id": application.id, "sov_line_id": sov_line.id}
            for application in applications
            for sov_line in sov_lines.filtered(lambda s, a=application: s.job_id == a.job_id)
            if (application.id, sov_line.id) not in have
        ]
        return (
            self.env["construction.pay.application.line"]
            .sudo()
            .with_context(construction_pay_application_system=True)
            .create(vals_list)
        )

    def _check_billable(self):
        for application in self:
            if not application.line_ids:
                raise UserError(
                    _(
                        "Pay application %(application)s has no lines: add the schedule of "
                        "values of job %(job)s first.",
                        application=application.name,
                        job=application.job_id.display_name,
                    )
                )
            application.line_ids._check_billing_limits()
            job = application.job_id
            currency = application.currency_id
            if currency.compare_amounts(application.contract_sum_to_date, job.contract_value):
                raise UserError(
                    _(
                        "The schedule of values of job %(job)s totals %(schedule)s but the "
                        "contract value of the job is %(contract)s: align the schedule before "
                        "billing.",
                        job=job.display_name,
                        schedule=format_amount(
                            self.env, application.contract_sum_to_date, currency
                        ),
                        contract=format_amount(self.env, job.contract_value, currency),
                    )
                )
            if currency.compare_amounts(application.current_payment_due, 0) <= 0:
                raise UserError(
                    _(
                        "Pay application %(application)s asks for %(due)s: there is nothing "
                        "to pay this period. Enter the work completed this period (a lower "
                        "total than certified before takes a credit note).",
                        application=application.name,
                        due=format_amount(self.env, application.current_payment_due, currency),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_state(self, allowed, action):
        for application in self:
            if application.state not in allowed:
                raise UserError(
                    _(
                        "Pay application %(application)s is %(state)s: it cannot be " "%(action)s.",
                        application=application.name,
                        state=dict(PAY_APPLICATION_STATES)[application.state],
                        action=action,
                    )
                )

    def action_submit(self):
        self._check_state(("draft",), _("submitted"))
        self._check_billable()
        self.with_context(construction_pay_application_system=True).write({"state": "submitted"})
        return True

    def action_draft(self):
        """Back to draft: a submitted application, or the last certified one
        whose invoice was cancelled."""
        for application in self:
            if application.state == "submitted":
                continue
            invoice = application.invoice_id
            later = self.search_count(
                [("job_id", "=", application.job_id.id), ("number", ">", application.number)]
            )
            if (
                application.state == "certified"
                and not later
                and (not invoice or invoice.state == "cancel")
            ):
                continue
            raise UserError(
                _(
                    "Pay application %(application)s is %(state)s: only a submitted "
                    "application, or the last certified one whose invoice is cancelled, can "
                    "be reset to draft.",
                    application=application.name,
                    state=dict(PAY_APPLICATION_STATES)[application.state],
                )
            )
        self.with_context(construction_pay_application_system=True).write(
            {"state": "draft", "invoice_id": False, "date_certified": False, "certified_by": False}
        )
        return True

    def action_certify(self):
        """Certify: create the customer invoice of the period (work completed
        and stored this period, less this period's retainage = line 8)."""
        self._check_state(("submitted",), _("certified"))
        self._check_billable()
        invoice_vals = [application._prepare_invoice_vals() for application in self]
        Move = self.env["account.move"].with_context(default_move_type="out_invoice")
        invoices = Move.create(invoice_vals)
        today = fields.Date.context_today(self)
        for application, invoice in zip(self, invoices, strict=True):
            application.with_context(construction_pay_application_system=True).write(
                {
                    "state": "certified",
                    "invoice_id": invoice.id,
                    "date_certified": today,
                    "certified_by": self.env.user.id,
                }
            )
            application.message_post(
                body=_(
                    "Certified by %(user)s: current payment due %(due)s, invoice %(invoice)s.",
                    user=self.env.user.name,
                    due=format_amount(
                        self.env, application.current_payment_due, application.currency_id
                    ),
                    invoice=invoice.display_name,
                )
            )
        return True

    def _prepare_invoice_vals(self):
        """The customer invoice of the application: one line per schedule line
        billed this period, and the retention line of this period's retainage."""
        self.ensure_one()
        job, company = self.job_id, self.company_id
        if not job.partner_id:
            raise UserError(
                _(
                    "Job %s has no customer: set the owner on the job before certifying.",
                    job.display_name,
                )
            )
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "sale")],
            limit=1,
        )
        if not journal.default_account_id:
            raise UserError(
                _(
                    "Company %s has no sales journal with an income account: create one "
                    "before certifying pay applications.",
                    company.name,
                )
            )
        lines = [
            Command.create(line._prepare_invoice_line_vals(journal.default_account_id))
            for line in self.line_ids
            if not self.currency_id.is_zero(line.billed_this_period)
        ]
        retainage = self.retainage_this_period
        if not self.currency_id.is_zero(retainage):
            account = company.construction_retention_receivable_account_id
            if not account:
                raise UserError(
                    _(
                        "Set the Retention Receivable Account of company %s (Settings > "
                        "Construction > Retention accounts) before certifying pay "
                        "applications: the invoice withholds the retainage on it.",
                        company.name,
                    )
                )
            held = retainage > 0
            lines.append(
                Command.create(
                    self.env["account.move.line"]._construction_retention_line_vals(
                        "receivable_held" if held else "receivable_released",
                        abs(retainage),
                        account,
                        _("Retainage, pay application %s", self.name)
                        if held
                        else _("Retainage reduced, pay application %s", self.name),
                        job=job,
                    )
                )
            )
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": journal.id,
            "partner_id": job.partner_id.id,
            "invoice_date": self.period_end,
            "date": self.period_end,
            "invoice_origin": self.name,
            "ref": _(
                "Pay application %(number)s, period to %(date)s",
                number=self.name,
                date=self.period_end,
            ),
            "construction_pay_application_id": self.id,
            "invoice_line_ids": lines,
        }

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_print(self):
        return self.env.ref("construction_job_costing.action_report_pay_application").report_action(
            self
        )

    def action_preview(self):
        """The application as a web page (the PDF's HTML), in the client."""
        action = self.env.ref(
            "construction_job_costing.action_report_pay_application"
        ).report_action(self, config=False)
        action["report_type"] = "qweb-html"
        return action

    def _set_invoiced(self, invoiced):
        """Follow the invoice: invoiced once posted, certified again if reset."""
        source, target = ("certified", "invoiced") if invoiced else ("invoiced", "certified")
        applications = self.filtered(lambda a: a.state == source)
        applications.with_context(construction_pay_application_system=True).write({"state": target})

    def _report_values(self):
        """The figures of the PDF: the summary and the continuation sheet rows."""
        self.ensure_one()
        return {
            "lines": self.line_ids.sorted(lambda line: (line.sequence, line.id)),
            "totals": {
                fname: sum(self.line_ids.mapped(fname))
                for fname in (
                    "scheduled_value",
                    "previous_work",
                    "work_this_period",
                    "stored_materials",
                    "total_completed",
                    "balance_to_finish",
                    "retainage",
                )
            },
            "percent": float(percent_of(self.total_completed_stored, self.contract_sum_to_date)),
        }
