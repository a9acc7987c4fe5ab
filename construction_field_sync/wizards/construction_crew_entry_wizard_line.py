from odoo import fields, models


class ConstructionCrewEntryWizardLine(models.TransientModel):
    """One person whose day differs from the crew's: their own hours, and
    optionally their own phase, cost code or description (empty: the crew's)."""

    _name = "construction.crew.entry.wizard.line"
    _description = "Crew Time Entry: One Person's Exception"
    _check_company_auto = True

    wizard_id = fields.Many2one("construction.crew.entry.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id")
    job_id = fields.Many2one(related="wizard_id.job_id")
    employee_id = fields.Many2one(
        "hr.employee",
        string="Employee",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    hours = fields.Float(required=True)
    phase_id = fields.Many2one(
        "construction.phase", string="Phase", domain="[('project_id', '=', job_id)]"
    )
    cost_code_id = fields.Many2one(
        "construction.cost.code",
        string="Cost Code",
        domain="[('company_id', 'in', (company_id, False))]",
    )
    description = fields.Char()
