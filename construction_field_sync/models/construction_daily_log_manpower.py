from odoo import api, fields, models

from ..domain.daily_log import man_hours


class ConstructionDailyLogManpower(models.Model):
    """Who was on site: a trade (own crew or a subcontractor's), how many
    people and how many hours each."""

    _name = "construction.daily.log.manpower"
    _inherit = ["construction.daily.log.line"]
    _description = "Daily Log Manpower"
    _order = "log_id, sequence, id"
    _check_company_auto = True

    log_id = fields.Many2one(
        "construction.daily.log", string="Daily Log", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    trade = fields.Char(required=True, help="For example: carpenters, ironworkers, laborers.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Subcontractor",
        check_company=True,
        help="The subcontractor whose crew it was; empty for the company's own crew.",
    )
    subcontractor_name = fields.Char(
        string="Subcontractor (as written)",
        help="The subcontractor as the field app wrote it, when it is not a known partner.",
    )
    subcontractor = fields.Char(compute="_compute_subcontractor", string="Crew Of")
    headcount = fields.Integer(default=1)
    hours = fields.Float(string="Hours Each", digits=(5, 2), default=8.0)
    total_hours = fields.Float(
        string="Total Hours", digits=(12, 2), compute="_compute_total_hours", store=True
    )

    _sql_constraints = [
        ("headcount_positive", "CHECK (headcount >= 0)", "The headcount cannot be negative."),
        (
            "hours_range",
            "CHECK (hours >= 0 AND hours <= 24)",
            "The hours of a person in a day are between 0 and 24.",
        ),
    ]

    @api.depends("headcount", "hours")
    def _compute_total_hours(self):
        for line in self:
            line.total_hours = float(man_hours(line.headcount, line.hours))

    @api.depends("partner_id", "subcontractor_name")
    def _compute_subcontractor(self):
        for line in self:
            line.subcontractor = line.partner_id.name or line.subcontractor_name or False

    @api.depends("trade", "subcontractor", "headcount", "hours")
    def _compute_display_name(self):
        for line in self:
            crew = f" ({line.subcontractor})" if line.subcontractor else ""
            line.display_name = f"{line.trade or ''}{crew}: {line.headcount} x {line.hours:g} h"

    def _snapshot(self):
        self.ensure_one()
        return {
            "trade": self.trade,
            "subcontractor": self.subcontractor or None,
            "headcount": self.headcount,
            "hours": self.hours,
        }

    def _copy_values(self):
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "trade": self.trade,
            "partner_id": self.partner_id.id,
            "subcontractor_name": self.subcontractor_name,
            "headcount": self.headcount,
            "hours": self.hours,
        }
