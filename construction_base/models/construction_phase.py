from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain.coding import code_problem, normalize_code
from .construction_cost_code import code_problem_message


class ConstructionPhase(models.Model):
    _name = "construction.phase"
    _inherit = ["construction.unique.code.mixin"]
    _unique_scope_field = "project_id"
    _description = "Construction Job Phase"
    _order = "project_id, sequence, code"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    project_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_job', '=', True)]",
        check_company=True,
    )
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    date_start = fields.Date(string="Planned Start")
    date_end = fields.Date(string="Planned End")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", related="project_id.company_id", store=True, index=True, precompute=True
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "code_project_uniq",
            "unique (project_id, code)",
            "A phase with this code already exists on this job.",
        ),
        (
            "dates_check",
            "CHECK (date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
            "A phase cannot end before it starts.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} {record.name}" if record.code else record.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "code" in vals:
                vals["code"] = normalize_code(vals["code"])
        self._check_unique_code_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals:
            vals["code"] = normalize_code(vals["code"])
        self._check_unique_code_write(vals)
        return super().write(vals)

    def _unique_code_message(self, code, scope, clash):
        return _("Job %(job)s already has a phase %(code)s.", job=scope.display_name, code=code)

    @api.constrains("code")
    def _check_code(self):
        for record in self:
            problem = code_problem(record.code)
            if problem:
                raise ValidationError(
                    code_problem_message(self.env, _("Phase code"), record.code, problem)
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for record in self:
            if record.date_start and record.date_end and record.date_end < record.date_start:
                raise ValidationError(
                    _(
                        "Phase %(phase)s of job %(job)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        phase=record.display_name,
                        job=record.project_id.display_name,
                        end=record.date_end,
                        start=record.date_start,
                    )
                )

    @api.constrains("project_id")
    def _check_project_is_job(self):
        for record in self:
            if not record.project_id.is_job:
                raise ValidationError(
                    _(
                        "Phase %(phase)s: project %(project)s is not a construction job; give "
                        "it a job code first.",
                        phase=record.display_name,
                        project=record.project_id.display_name,
                    )
                )
