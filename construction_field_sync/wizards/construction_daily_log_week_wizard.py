from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain.daily_log import week_bounds, week_label

REPORT = "construction_field_sync.action_report_daily_log_week"


class ConstructionDailyLogWeekWizard(models.TransientModel):
    """Print the weekly daily report of a job: every log of one ISO week."""

    _name = "construction.daily.log.week.wizard"
    _description = "Weekly Daily Report"

    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        domain="[('is_job', '=', True)]",
        default=lambda self: self._default_job_id(),
    )
    date = fields.Date(
        string="A Day of the Week",
        required=True,
        default=fields.Date.context_today,
        help="Any day of the ISO week (Monday to Sunday) to print.",
    )
    week = fields.Char(compute="_compute_week")
    week_start = fields.Date(compute="_compute_week")
    week_end = fields.Date(compute="_compute_week")
    log_count = fields.Integer(string="Daily Logs", compute="_compute_week")

    @api.model
    def _default_job_id(self):
        if self.env.context.get("active_model") == "project.project":
            return self.env.context.get("active_id")
        return False

    @api.depends("job_id", "date")
    def _compute_week(self):
        for wizard in self:
            if not wizard.date:
                wizard.update({"week": False, "week_start": False, "week_end": False})
                wizard.log_count = 0
                continue
            start, end = week_bounds(wizard.date)
            wizard.week = week_label(wizard.date)
            wizard.week_start, wizard.week_end = start, end
            wizard.log_count = len(wizard._logs()) if wizard.job_id else 0

    def _logs(self):
        self.ensure_one()
        start, end = week_bounds(self.date)
        return self.env["construction.daily.log"].search(
            [
                ("job_id", "=", self.job_id.id),
                ("date", ">=", start),
                ("date", "<=", end),
                ("state", "!=", "cancelled"),
            ],
            order="date, id",
        )

    def action_print(self):
        self.ensure_one()
        logs = self._logs()
        if not logs:
            raise UserError(
                _(
                    "Job %(job)s has no daily log in week %(week)s.",
                    job=self.job_id.display_name,
                    week=week_label(self.date),
                )
            )
        return self.env.ref(REPORT).report_action(logs)
