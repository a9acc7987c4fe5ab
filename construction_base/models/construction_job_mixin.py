from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Stands for the record's name in the messages until one is needed.
LABEL = "\x00record\x00"


class ConstructionJobMixin(models.AbstractModel):
    """Job / phase / cost code on any document that carries cost.

    Used by purchase order lines, bill lines, requisition lines, timesheets
    and the analytic lines themselves. The rules: the phase belongs to the
    job, the cost code is active and of the document's company, and a closed
    job takes no new coding. Selection in the web client is restricted by
    the same rules through the fields' domains.
    """

    _name = "construction.job.mixin"
    _description = "Construction Job Coding Mixin"

    job_id = fields.Many2one(
        "project.project",
        string="Job",
        index="btree_not_null",
        domain="[('is_job', '=', True), ('job_status', '!=', 'closed')]",
    )
    phase_id = fields.Many2one(
        "construction.phase",
        string="Phase",
        index="btree_not_null",
        domain="[('project_id', '=', job_id)]",
    )
    cost_code_id = fields.Many2one(
        "construction.cost.code",
        string="Cost Code",
        index="btree_not_null",
        domain="[('company_id', 'in', (construction_company_id, False))]",
    )
    cost_type = fields.Selection(related="cost_code_id.cost_type", string="Cost Type", store=True)
    construction_company_id = fields.Many2one(
        "res.company", compute="_compute_construction_company_id"
    )

    def _construction_company(self):
        """The company the coding must belong to (override where needed)."""
        self.ensure_one()
        if "company_id" in self._fields and self.company_id:
            return self.company_id
        return self.job_id.company_id or self.env.company

    @api.depends("job_id")
    def _compute_construction_company_id(self):
        for record in self:
            record.construction_company_id = record._construction_company()

    @api.onchange("job_id")
    def _onchange_job_id_clear_phase(self):
        for record in self:
            if record.phase_id and record.phase_id.project_id != record.job_id:
                record.phase_id = False

    def _construction_coding_errors(self):
        """Messages for every coding rule this record breaks."""
        self.ensure_one()
        errors = []
        job, phase, code = self.job_id, self.phase_id, self.cost_code_id
        if not (job or phase or code):
            # Nothing to check; and reading the display name of a record being
            # created could compute its other fields too early (a purchase line
            # created from a bill would lose its discount).
            return errors
        if phase and phase.project_id != job:
            errors.append(
                _(
                    "%(record)s: phase %(phase)s belongs to job %(phase_job)s, not to "
                    "job %(job)s.",
                    record=LABEL,
                    phase=phase.display_name,
                    phase_job=phase.project_id.display_name,
                    job=job.display_name or _("(none)"),
                )
            )
        if code:
            if not code.active:
                errors.append(
                    _(
                        "%(record)s: cost code %(code)s is archived; choose an active one.",
                        record=LABEL,
                        code=code.display_name,
                    )
                )
            company = self._construction_company()
            if code.company_id and company and code.company_id != company:
                errors.append(
                    _(
                        "%(record)s: cost code %(code)s belongs to %(code_company)s, "
                        "not to %(company)s.",
                        record=LABEL,
                        code=code.display_name,
                        code_company=code.company_id.name,
                        company=company.name,
                    )
                )
        if job and not job.is_job:
            errors.append(
                _(
                    "%(record)s: project %(job)s is not a construction job (it has no job code).",
                    record=LABEL,
                    job=job.display_name,
                )
            )
        if job and job.job_status == "closed":
            errors.append(
                _(
                    "%(record)s: job %(job)s is closed and takes no new costs.",
                    record=LABEL,
                    job=job.display_name,
                )
            )
        if errors:
            # The record's name is only needed to say what is wrong; computing
            # it for every valid line would cost a create as much again.
            label = self.display_name or self._description
            errors = [error.replace(LABEL, label) for error in errors]
        return errors

    @api.constrains("job_id", "phase_id", "cost_code_id")
    def _check_construction_coding(self):
        # The rules depend on the coding and the company only: a batch of
        # lines (a field app's month of timesheets) checks each combination
        # once, and names every record only when its combination is wrong.
        errors = []
        valid = set()
        for record in self:
            key = (
                record.job_id.id,
                record.phase_id.id,
                record.cost_code_id.id,
                record._construction_company().id,
            )
            if key in valid:
                continue
            record_errors = record._construction_coding_errors()
            if not record_errors:
                valid.add(key)
            errors.extend(record_errors)
        if errors:
            raise ValidationError("\n".join(errors))
