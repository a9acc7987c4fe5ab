from odoo import _, fields, models


class ConstructionJobCostAsOfWizard(models.TransientModel):
    """Open the job cost report as of a date."""

    _name = "construction.job.cost.as.of.wizard"
    _description = "Job Cost Report As Of"

    as_of = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    job_ids = fields.Many2many(
        "project.project",
        string="Jobs",
        domain="[('is_job', '=', True)]",
        help="Leave empty for every job.",
    )

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_job_costing.construction_job_cost_report_action"
        )
        action["context"] = {
            "job_cost_as_of": fields.Date.to_string(self.as_of),
            "search_default_group_job": 1,
        }
        if self.job_ids:
            action["domain"] = [("job_id", "in", self.job_ids.ids)]
        action["display_name"] = _("Job cost as of %s", self.as_of)
        return action

    def action_print(self):
        self.ensure_one()
        jobs = self.job_ids or self.env["project.project"].search([("is_job", "=", True)])
        return (
            self.env.ref("construction_job_costing.action_report_job_cost")
            .with_context(job_cost_as_of=fields.Date.to_string(self.as_of))
            .report_action(jobs, data={"as_of": fields.Date.to_string(self.as_of)})
        )
