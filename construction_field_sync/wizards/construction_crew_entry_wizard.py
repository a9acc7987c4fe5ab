from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionCrewEntryWizard(models.TransientModel):
    """A foreman's day for a whole crew, in one step (on the phone).

    The same job, date, phase, cost code and hours for several employees,
    with exceptions per person (hours, phase, cost code, description). Confirm
    creates one submitted field line per person, in one create, after the
    company's limits are checked (hours of the day across every job, a date
    in the future).
    """

    _name = "construction.crew.entry.wizard"
    _description = "Crew Time Entry"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        check_company=True,
        domain="[('is_job', '=', True), ('job_status', '!=', 'closed'), "
        "('company_id', '=', company_id)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    phase_id = fields.Many2one(
        "construction.phase", string="Phase", domain="[('project_id', '=', job_id)]"
    )
    cost_code_id = fields.Many2one(
        "construction.cost.code",
        string="Cost Code",
        required=True,
        domain="[('company_id', 'in', (company_id, False))]",
    )
    hours = fields.Float(required=True, default=8.0)
    description = fields.Char(help="What the crew did; empty: the cost code's name.")
    employee_ids = fields.Many2many(
        "hr.employee",
        string="Crew",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    line_ids = fields.One2many(
        "construction.crew.entry.wizard.line",
        "wizard_id",
        string="Exceptions",
        help="People whose hours, phase or cost code differ from the crew's.",
    )
    crew_count = fields.Integer(compute="_compute_totals")
    total_hours = fields.Float(compute="_compute_totals")

    @api.depends("employee_ids", "line_ids.employee_id", "line_ids.hours", "hours")
    def _compute_totals(self):
        for wizard in self:
            people = wizard._people()
            wizard.crew_count = len(people)
            wizard.total_hours = sum(person["hours"] for person in people)

    @api.onchange("job_id")
    def _onchange_job_id(self):
        if self.phase_id and self.phase_id.project_id != self.job_id:
            self.phase_id = False

    def _people(self):
        """[{employee, hours, phase, code, description}] of the crew, one per person."""
        self.ensure_one()
        # In the form (onchange), records are new ones wrapping the real ones.
        exceptions = {line.employee_id._origin: line for line in self.line_ids if line.employee_id}
        crew = self.employee_ids._origin | self.line_ids.employee_id._origin
        people = []
        for employee in crew:
            line = exceptions.get(employee)
            people.append(
                {
                    "employee": employee,
                    "hours": line.hours if line else self.hours,
                    "phase": (line.phase_id if line else False) or self.phase_id,
                    "code": (line.cost_code_id if line else False) or self.cost_code_id,
                    "description": (line.description if line else False) or self.description,
                }
            )
        return people

    def _check_can_enter(self):
        user = self.env.user
        job = self.job_id.sudo()
        if user.has_group("construction_base.group_project_manager"):
            return
        if job.user_id != user and user not in job.job_member_ids:
            raise UserError(
                _(
                    "You may not enter time on job %(job)s: you are not in its team.",
                    job=job.display_name,
                )
            )

    def _prepare_line_values(self, person, hold_reason):
        return {
            "project_id": self.job_id.id,
            "employee_id": person["employee"].id,
            "unit_amount": person["hours"],
            "date": self.date,
            "name": person["description"]
            or self.env._("Crew time: %(code)s", code=person["code"].display_name),
            "phase_id": person["phase"].id if person["phase"] else False,
            "cost_code_id": person["code"].id,
            "company_id": self.job_id.company_id.id,
            "field_state": "submitted",
            "field_hold_reason": hold_reason or False,
        }

    def action_confirm(self):
        self.ensure_one()
        people = self._people()
        if not people:
            raise UserError(_("Add the employees of the crew."))
        self._check_can_enter()
        if self.job_id.job_status == "closed":
            raise UserError(
                _("Job %(job)s is closed and takes no new time.", job=self.job_id.display_name)
            )
        for person in people:
            if not 0 < person["hours"] <= 24:
                raise UserError(
                    _(
                        "%(employee)s: %(hours)s hours; enter more than 0 and at most 24 hours.",
                        employee=person["employee"].name,
                        hours=person["hours"],
                    )
                )
            if person["phase"] and person["phase"].project_id != self.job_id:
                raise UserError(
                    _(
                        "%(employee)s: phase %(phase)s is not a phase of job %(job)s.",
                        employee=person["employee"].name,
                        phase=person["phase"].display_name,
                        job=self.job_id.display_name,
                    )
                )
        Line = self.env["account.analytic.line"].with_company(self.job_id.company_id)
        holds = Line._field_check_limits(
            self.job_id.company_id,
            [(person["employee"], self.date, person["hours"]) for person in people],
        )
        lines = Line.create(
            [
                self._prepare_line_values(person, holds.get(index))
                for index, person in enumerate(people)
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_field_sync.account_analytic_line_field_time_action"
        )
        action.update(
            {
                "domain": [("id", "in", lines.ids)],
                "context": {"create": False},
                "name": _("Crew time entered"),
            }
        )
        return action
