from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..domain.pay_application import (
    BELOW_ZERO,
    LineInput,
    dec,
    line_problem,
    percent_of,
    work_from_percent,
)

CERTIFIED_STATES = ("certified", "invoiced")
FIGURES = (
    "total_completed",
    "percent_complete",
    "balance_to_finish",
    "retainage_work",
    "retainage_stored",
    "retainage",
    "billed_this_period",
)
# What a person enters on a line: columns E and F.
ENTERED = {"work_this_period", "work_this_period_percent", "stored_materials"}


class ConstructionPayApplicationLine(models.Model):
    """A row of the continuation sheet: one schedule of values line on one
    pay application, with the columns A to I of the standard form."""

    _name = "construction.pay.application.line"
    _description = "Pay Application Line"
    _order = "application_id, sequence, id"
    _check_company_auto = True

    application_id = fields.Many2one(
        "construction.pay.application",
        string="Pay Application",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sov_line_id = fields.Many2one(
        "construction.sov.line",
        string="Schedule Line",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('job_id', '=', job_id)]",
    )
    job_id = fields.Many2one(
        related="application_id.job_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="application_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(related="application_id.state", string="Status")
    application_number = fields.Integer(
        related="application_id.number", string="Application No.", store=True
    )
    sequence = fields.Integer(related="sov_line_id.sequence", store=True)
    item_number = fields.Char(related="sov_line_id.item_number", string="Item")
    name = fields.Char(related="sov_line_id.name", string="Description")
    phase_id = fields.Many2one(related="sov_line_id.phase_id")
    cost_code_id = fields.Many2one(related="sov_line_id.cost_code_id")
    # Column C, frozen once the application is certified
    original_value = fields.Monetary(compute="_compute_scheduled", store=True)
    change_order_value = fields.Monetary(
        string="Change Orders", compute="_compute_scheduled", store=True
    )
    scheduled_value = fields.Monetary(
        string="Scheduled Value", compute="_compute_scheduled", store=True
    )
    # From the previous certified application
    previous_work = fields.Monetary(
        string="From Previous Application",
        readonly=True,
        help="Column D: D + E of the line on the previous certified application.",
    )
    previous_stored = fields.Monetary(
        string="Previously Stored",
        readonly=True,
        help="Column F of the line on the previous certified application.",
    )
    previous_work_retainage = fields.Monetary(string="Previous Retainage on Work", readonly=True)
    # Entered
    work_this_period = fields.Monetary(
        string="This Period", help="Column E: work completed this period."
    )
    work_this_period_percent = fields.Float(
        string="This Period %",
        digits=(5, 2),
        compute="_compute_work_this_period_percent",
        inverse="_inverse_work_this_period_percent",
        help="Column E as a % of the scheduled value: entering it sets the amount.",
    )
    stored_materials = fields.Monetary(
        string="Materials Presently Stored",
        help="Column F: materials stored on site or off, not in D or E. A balance: lower it "
        "when stored materials are installed (they go into E).",
    )
    # Results
    total_completed = fields.Monetary(
        string="Completed and Stored to Date",
        compute="_compute_figures",
        store=True,
        help="Column G = D + E + F.",
    )
    percent_complete = fields.Float(
        string="% (G / C)", digits=(5, 2), compute="_compute_figures", store=True
    )
    balance_to_finish = fields.Monetary(
        string="Balance to Finish", compute="_compute_figures", store=True, help="H = C - G."
    )
    retainage_work = fields.Monetary(
        string="Retainage on Work", compute="_compute_figures", store=True
    )
    retainage_stored = fields.Monetary(
        string="Retainage on Stored", compute="_compute_figures", store=True
    )
    retainage = fields.Monetary(
        string="Retainage", compute="_compute_figures", store=True, help="Column I."
    )
    billed_this_period = fields.Monetary(
        string="Billed This Period",
        compute="_compute_figures",
        store=True,
        help="G less D and the previously stored materials: the invoice line of the period.",
    )

    _sql_constraints = [
        (
            "sov_line_application_uniq",
            "unique (application_id, sov_line_id)",
            "A schedule line appears once on a pay application.",
        ),
    ]

    @api.depends(
        "sov_line_id.original_value", "sov_line_id.change_order_value", "application_id.state"
    )
    def _compute_scheduled(self):
        for line in self:
            if line.application_id.state in CERTIFIED_STATES and line.id:
                continue  # column C as certified
            line.original_value = line.sov_line_id.original_value
            line.change_order_value = line.sov_line_id.change_order_value
            line.scheduled_value = line.original_value + line.change_order_value

    @api.depends("work_this_period", "scheduled_value")
    def _compute_work_this_period_percent(self):
        for line in self:
            line.work_this_period_percent = float(
                percent_of(line.work_this_period, line.scheduled_value)
            )

    def _inverse_work_this_period_percent(self):
        for line in self:
            line.work_this_period = float(
                work_from_percent(line.scheduled_value, line.work_this_period_percent)
            )

    @api.depends(
        "application_id.state",
        "application_id.retainage_work_percent",
        "application_id.retainage_stored_percent",
        "application_id.retainage_reduced_percent",
        "application_id.retainage_reduction_at_percent",
        "application_id.line_ids.scheduled_value",
        "application_id.line_ids.previous_work",
        "application_id.line_ids.previous_stored",
        "application_id.line_ids.previous_work_retainage",
        "application_id.line_ids.work_this_period",
        "application_id.line_ids.stored_materials",
    )
    def _compute_figures(self):
        """Every line of an application at once: this period's retainage on
        work is spread over the lines of the application."""
        for application in self.application_id:
            lines = self.filtered(lambda line, a=application: line.application_id == a)
            if application.state in CERTIFIED_STATES and application.id:
                continue  # the figures as certified
            results, _summary = application._compute_figures()
            for line in lines:
                result = results[line]
                line.total_completed = float(result.total_completed)
                line.percent_complete = float(result.percent_complete)
                line.balance_to_finish = float(result.balance_to_finish)
                line.retainage_work = float(result.work_retainage)
                line.retainage_stored = float(result.stored_retainage)
                line.retainage = float(result.retainage)
                line.billed_this_period = float(result.billed_this_period)
        for line in self.filtered(lambda line: not line.application_id):
            for fname in FIGURES:
                line[fname] = 0.0

    def _line_input(self):
        self.ensure_one()
        return LineInput(
            key=self.id,
            original_value=dec(self.original_value),
            change_order_value=dec(self.change_order_value),
            previous_work=dec(self.previous_work),
            previous_stored=dec(self.previous_stored),
            previous_work_retainage=dec(self.previous_work_retainage),
            work_this_period=dec(self.work_this_period),
            stored_materials=dec(self.stored_materials),
            label=self.sov_line_id.display_name or "",
        )

    @api.constrains("work_this_period", "stored_materials")
    def _check_billing_limits(self):
        """No line bills over 100 % of its scheduled value (nor below zero)."""
        for line in self:
            problem = line_problem(line._line_input())
            if not problem:
                continue
            values = {
                "application": line.application_id.name,
                "line": line.sov_line_id.display_name,
                "total": format_amount(self.env, line.total_completed, line.currency_id),
                "scheduled": format_amount(self.env, line.scheduled_value, line.currency_id),
            }
            if problem == BELOW_ZERO:
                raise ValidationError(
                    _(
                        "Pay application %(application)s, line %(line)s: work completed and "
                        "stored to date would be %(total)s, below zero. Lower the correction "
                        "of this period.",
                        **values,
                    )
                )
            raise ValidationError(
                _(
                    "Pay application %(application)s, line %(line)s: work completed and stored "
                    "to date %(total)s is over 100%% of its scheduled value %(scheduled)s. "
                    "Lower this period's work or stored materials, or approve an owner change "
                    "order first.",
                    **values,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Each line starts from the certified totals of the same schedule line
        on the previous application; stored materials are still stored."""
        applications = self.env["construction.pay.application"].browse(
            {vals["application_id"] for vals in vals_list if vals.get("application_id")}
        )
        if not self.env.context.get("construction_pay_application_system"):
            applications._check_editable({"line_ids": True})
        previous = {
            (line.application_id.id, line.sov_line_id.id): line
            for line in applications.previous_id.line_ids
        }
        for vals in vals_list:
            application = applications.browse(vals.get("application_id"))
            before = previous.get((application.previous_id.id, vals.get("sov_line_id")))
            if before:
                vals.update(
                    previous_work=before.previous_work + before.work_this_period,
                    previous_stored=before.stored_materials,
                    previous_work_retainage=before.retainage_work,
                )
                vals.setdefault("stored_materials", before.stored_materials)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("construction_pay_application_system"):
            self._check_editable(vals)
        return super().write(vals)

    def unlink(self):
        if not self.env.context.get("construction_pay_application_system"):
            self._check_editable(dict.fromkeys(ENTERED))
        return super().unlink()

    def _check_editable(self, vals):
        if set(vals) - ENTERED:
            raise UserError(
                _(
                    "Only this period's work and the stored materials are entered on a pay "
                    "application line; the rest comes from the schedule of values and the "
                    "previous application."
                )
            )
        for line in self:
            if line.application_id.state != "draft":
                raise UserError(
                    _(
                        "Pay application %(application)s is %(state)s: line %(line)s cannot "
                        "be changed.%(hint)s",
                        application=line.application_id.name,
                        state=dict(
                            line.application_id._fields["state"]._description_selection(self.env)
                        )[line.application_id.state],
                        line=line.sov_line_id.display_name,
                        hint=_(" Reset it to draft first.")
                        if line.application_id.state == "submitted"
                        else "",
                    )
                )

    def _prepare_invoice_line_vals(self, account):
        """The invoice line of what this line bills this period: on the job's
        analytic account, with its phase but no cost code (revenue is not
        cost), and no taxes, so that the invoice's total is line 8."""
        self.ensure_one()
        job = self.job_id
        return {
            "name": _(
                "%(item)s %(description)s (pay application %(application)s)",
                item=self.item_number or "",
                description=self.name,
                application=self.application_id.name,
            ),
            "display_type": "product",
            "quantity": 1,
            "price_unit": self.billed_this_period,
            "account_id": account.id,
            "tax_ids": [fields.Command.clear()],
            "analytic_distribution": {str(job.account_id.id): 100} if job.account_id else False,
            "job_id": job.id,
            "phase_id": self.phase_id.id,
            "cost_code_id": False,
        }
