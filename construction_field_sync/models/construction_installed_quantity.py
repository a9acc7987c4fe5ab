from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain.field_dates import latest_today


class ConstructionInstalledQuantity(models.Model):
    """Units installed on one day on a job, phase and cost code.

    It counts against the budget line of the job with the same phase and
    cost code (which must exist): the line's quantity installed to date, its
    percent complete by units and its earned budget. There is no approval:
    a recorded quantity counts at once; a later change from the field
    replaces it and a cancellation withdraws it.
    """

    _name = "construction.installed.quantity"
    _description = "Installed Quantity"
    _inherit = ["construction.field.record", "construction.job.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _field_versioned_fields = (
        "job_id",
        "phase_id",
        "cost_code_id",
        "date",
        "quantity",
        "uom_id",
        "notes",
        "state",
    )

    job_id = fields.Many2one(required=True, check_company=True)
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    cost_code_id = fields.Many2one(required=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    quantity = fields.Float(
        string="Quantity Installed", required=True, digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one("uom.uom", string="Unit")
    notes = fields.Text()
    state = fields.Selection(
        [("recorded", "Recorded"), ("cancelled", "Withdrawn")],
        string="Status",
        default="recorded",
        required=True,
        index=True,
        readonly=True,
        copy=False,
    )
    budget_line_id = fields.Many2one(
        "construction.budget.line",
        string="Budget Line",
        compute="_compute_budget_line_id",
        compute_sudo=True,
        help="The budget line of the job with the same phase and cost code.",
    )
    budget_quantity = fields.Float(
        string="Budget Quantity",
        compute="_compute_budget_figures",
        digits="Product Unit of Measure",
    )
    budget_uom_id = fields.Many2one(
        "uom.uom", string="Budget Unit", compute="_compute_budget_figures"
    )
    installed_to_date = fields.Float(
        string="Installed to Date",
        compute="_compute_budget_figures",
        digits="Product Unit of Measure",
    )
    percent_complete_units = fields.Float(
        string="% Complete (Units)", compute="_compute_budget_figures"
    )

    @api.depends("job_id", "date", "quantity", "uom_id")
    def _compute_display_name(self):
        for record in self:
            record.display_name = _(
                "%(job)s %(code)s, %(date)s: %(quantity)s %(uom)s",
                job=record.job_id.job_code or "",
                code=record.cost_code_id.code or "",
                date=fields.Date.to_string(record.date) if record.date else "",
                quantity=f"{record.quantity:g}",
                uom=record.uom_id.name or "",
            )

    @api.depends("job_id", "phase_id", "cost_code_id")
    def _compute_budget_line_id(self):
        lines = self.env["construction.budget.line"]._of_keys(self._budget_keys())
        for record in self:
            record.budget_line_id = lines.get(record._budget_key(), False)

    @api.depends("budget_line_id")
    def _compute_budget_figures(self):
        lines = self.budget_line_id.sudo()
        for record in self:
            line = lines.browse(record.budget_line_id.id)
            record.budget_quantity = line.quantity
            record.budget_uom_id = line.uom_id
            record.installed_to_date = line.installed_quantity
            record.percent_complete_units = line.percent_complete_units

    def _budget_key(self):
        self.ensure_one()
        return (self.job_id.id, self.phase_id.id or False, self.cost_code_id.id)

    def _budget_keys(self):
        return [record._budget_key() for record in self if record.job_id and record.cost_code_id]

    @api.onchange("job_id", "phase_id", "cost_code_id")
    def _onchange_budget_unit(self):
        if self.budget_line_id.uom_id:
            self.uom_id = self.budget_line_id.uom_id

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.constrains("quantity")
    def _check_quantity(self):
        for record in self:
            if record.quantity < 0:
                raise ValidationError(
                    _(
                        "The quantity installed cannot be negative (%(quantity)s on %(job)s).",
                        quantity=record.quantity,
                        job=record.job_id.display_name,
                    )
                )

    @api.constrains("job_id", "phase_id", "cost_code_id", "uom_id")
    def _check_budget_line(self):
        lines = self.env["construction.budget.line"].sudo()._of_keys(self._budget_keys())
        for record in self:
            line = lines.get(record._budget_key())
            if not line:
                raise ValidationError(
                    _(
                        "Job %(job)s has no budget line for %(line)s: installed quantities "
                        "count against a budget line; add it to the budget first.",
                        job=record.job_id.display_name,
                        line=" / ".join(
                            part
                            for part in (record.phase_id.code, record.cost_code_id.display_name)
                            if part
                        ),
                    )
                )
            if record.uom_id and line.uom_id and record.uom_id != line.uom_id:
                raise ValidationError(
                    _(
                        "The budget line %(line)s is measured in %(budget_uom)s, not in "
                        "%(uom)s.",
                        line=line.display_name,
                        budget_uom=line.uom_id.name,
                        uom=record.uom_id.name,
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        latest = latest_today(fields.Datetime.now())
        for record in self:
            if record.date and record.date > latest:
                raise ValidationError(
                    _(
                        "The date %(date)s is in the future: record quantities once they "
                        "are installed.",
                        date=fields.Date.to_string(record.date),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        return (
            super(ConstructionInstalledQuantity, self.with_context(mail_create_nosubscribe=True))
            .create(vals_list)
            .with_env(self.env)
        )

    def write(self, vals):
        if (
            not self.env.context.get("construction_field_amendment")
            and (set(vals) - {"notes", "state"}) & set(self._field_versioned_fields)
            and any(record.state == "cancelled" for record in self)
        ):
            raise UserError(_("A withdrawn quantity cannot change: record it again instead."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_withdraw(self):
        self.filtered(lambda record: record.state == "recorded")._field_withdraw(
            fields.Datetime.now()
        )
        return True

    def action_open_budget_line(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "construction.budget.line",
            "res_id": self.budget_line_id.id,
            "view_mode": "form",
        }
