from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# Lines added by change orders list after the original schedule.
CHANGE_ORDER_SEQUENCE_START = 100


class ConstructionSovLine(models.Model):
    """One line of a job's schedule of values: what the owner is billed
    against, line by line, on each pay application (column A item, B
    description, C scheduled value)."""

    _name = "construction.sov.line"
    _description = "Schedule of Values Line"
    _order = "job_id, sequence, id"
    _check_company_auto = True
    _rec_names_search = ["item_number", "name"]

    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_job', '=', True)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10)
    item_number = fields.Char(string="Item", copy=False, help="Column A of the continuation sheet.")
    name = fields.Char(string="Description", required=True, help="Column B.")
    phase_id = fields.Many2one(
        "construction.phase",
        string="Phase",
        index="btree_not_null",
        domain="[('project_id', '=', job_id)]",
        help="For reporting, and to find the line of an owner change order.",
    )
    cost_code_id = fields.Many2one(
        "construction.cost.code",
        string="Cost Code",
        index="btree_not_null",
        check_company=True,
        domain="[('company_id', 'in', (company_id, False))]",
    )
    original_value = fields.Monetary(
        string="Original Value", help="The value of the line in the contract as signed."
    )
    change_order_line_ids = fields.One2many(
        "construction.change.order.line", "sov_line_id", string="Change Order Lines"
    )
    change_order_value = fields.Monetary(
        string="Change Orders",
        compute="_compute_values",
        store=True,
        help="The price changes of the approved owner change orders on this line.",
    )
    scheduled_value = fields.Monetary(
        string="Scheduled Value",
        compute="_compute_values",
        store=True,
        help="Column C: original value + approved owner change orders.",
    )
    completed_to_date = fields.Monetary(
        string="Certified to Date",
        compute="_compute_completed_to_date",
        help="Work completed and stored (G) on the job's last certified pay application.",
    )

    _sql_constraints = [
        (
            "item_number_job_uniq",
            "unique (job_id, item_number)",
            "Item numbers are unique within a job's schedule of values.",
        ),
    ]

    @api.depends(
        "original_value", "change_order_line_ids.price_delta", "change_order_line_ids.state"
    )
    def _compute_values(self):
        for line in self:
            approved = line.change_order_line_ids.filtered(lambda co: co.state == "approved")
            line.change_order_value = sum(approved.mapped("price_delta"))
            line.scheduled_value = line.original_value + line.change_order_value

    def _compute_completed_to_date(self):
        lines = self.env["construction.pay.application.line"]
        if self.ids:
            lines = lines.search(
                [
                    ("sov_line_id", "in", self.ids),
                    ("application_id.state", "in", ("certified", "invoiced")),
                ],
                order="application_number desc",
            )
        latest = {}
        for line in lines:
            latest.setdefault(line.sov_line_id.id, line.total_completed)
        for sov_line in self:
            sov_line.completed_to_date = latest.get(sov_line.id, 0.0)

    @api.constrains("job_id", "phase_id")
    def _check_phase_job(self):
        for line in self:
            if line.phase_id and line.phase_id.project_id != line.job_id:
                raise ValidationError(
                    _(
                        "Schedule of values line %(line)s: phase %(phase)s belongs to job "
                        "%(phase_job)s, not to %(job)s.",
                        line=line.display_name,
                        phase=line.phase_id.display_name,
                        phase_job=line.phase_id.project_id.display_name,
                        job=line.job_id.display_name,
                    )
                )

    @api.depends("item_number", "name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.item_number} {line.name}" if line.item_number else (line.name or "")
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Number the lines without an item number (1, 2, ... per job) and add
        them to the job's open pay application."""
        job_ids = {vals["job_id"] for vals in vals_list if vals.get("job_id")}
        existing = self.search([("job_id", "in", list(job_ids))]) if job_ids else self
        last = {}
        for line in existing:
            number = line.item_number or ""
            if number.isdigit():
                last[line.job_id.id] = max(last.get(line.job_id.id, 0), int(number))
        for vals in vals_list:
            if vals.get("job_id") and not vals.get("item_number"):
                last[vals["job_id"]] = last.get(vals["job_id"], 0) + 1
                vals["item_number"] = str(last[vals["job_id"]])
        lines = super().create(vals_list)
        self.env["construction.pay.application"].sudo()._add_schedule_lines(lines)
        return lines

    def write(self, vals):
        if set(vals) & {"job_id", "original_value"}:
            self._check_not_billed(_("its job or its original value"))
        return super().write(vals)

    def unlink(self):
        self._check_not_billed(_("it"))
        open_lines = (
            self.env["construction.pay.application.line"]
            .sudo()
            .search([("sov_line_id", "in", self.ids)])
        )
        open_lines.with_context(construction_pay_application_system=True).unlink()
        return super().unlink()

    def _check_not_billed(self, what):
        """Refuse to change a line that a certified pay application bills."""
        billed = (
            self.env["construction.pay.application.line"]
            .sudo()
            .search(
                [
                    ("sov_line_id", "in", self.ids),
                    ("application_id.state", "in", ("certified", "invoiced")),
                ],
                limit=1,
            )
        )
        if billed:
            raise UserError(
                _(
                    "Schedule of values line %(line)s is billed on certified pay application "
                    "%(application)s: you cannot change %(what)s. Change the schedule through "
                    "an owner change order.",
                    line=billed.sov_line_id.display_name,
                    application=billed.application_id.name,
                    what=what,
                )
            )

    @api.model
    def _find_for_change_order_lines(self, co_lines):
        """{change order line: schedule line} for change order lines with a
        price change: the line chosen on the change order line, else the line of
        the job with the same phase and cost code, else the line of the same
        phase without a cost code, else the line of the same cost code without
        a phase. Lines with no match get a new schedule line, described as the
        change order line (or the change order), after the original schedule."""
        co_lines = co_lines.filtered("price_delta")
        found = {line: line.sov_line_id for line in co_lines if line.sov_line_id}
        todo = co_lines.filtered(lambda line: not line.sov_line_id)
        if not todo:
            return found
        schedule = self.search([("job_id", "in", todo.job_id.ids)])
        index = {}
        for sov_line in schedule:
            key = (sov_line.job_id.id, sov_line.phase_id.id, sov_line.cost_code_id.id)
            index.setdefault(key, sov_line)
        missing = []
        for line in todo:
            job, phase, code = line.job_id.id, line.phase_id.id, line.cost_code_id.id
            match = (
                index.get((job, phase, code))
                or (phase and index.get((job, phase, False)))
                or (code and index.get((job, False, code)))
            )
            if match:
                found[line] = match
            else:
                missing.append(line)
        if missing:
            sequence = {}
            for sov_line in schedule:
                job = sov_line.job_id.id
                start = sequence.get(job, CHANGE_ORDER_SEQUENCE_START)
                sequence[job] = max(start, sov_line.sequence)
            vals_list, counts = [], {}
            for line in missing:
                order = line.change_order_id
                job = line.job_id.id
                sequence[job] = sequence.get(job, CHANGE_ORDER_SEQUENCE_START) + 1
                counts[order] = counts.get(order, 0) + 1
                item = f"CO-{order.number:03d}"
                vals_list.append(
                    {
                        "job_id": job,
                        "sequence": sequence[job],
                        "item_number": item if counts[order] == 1 else f"{item}.{counts[order]}",
                        "name": line.name or order.title,
                        "phase_id": line.phase_id.id,
                        "cost_code_id": line.cost_code_id.id,
                        "original_value": 0.0,
                    }
                )
            created = self.create(vals_list)
            found.update(zip(missing, created, strict=True))
        return found
