from odoo import api, fields, models

from ..domain.schemas import INCIDENT_TYPES

INCIDENT_TYPE_LABELS = {
    "injury": "Injury",
    "near_miss": "Near Miss",
    "property_damage": "Property Damage",
    "environmental": "Environmental",
}


class ConstructionDailyLogIncident(models.Model):
    """A safety or environmental incident of the day, as the site reported it."""

    _name = "construction.daily.log.incident"
    _inherit = ["construction.daily.log.line"]
    _description = "Daily Log Incident"
    _order = "log_id, sequence, id"

    log_id = fields.Many2one(
        "construction.daily.log", string="Daily Log", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True)
    job_id = fields.Many2one(related="log_id.job_id", store=True, string="Job")
    date = fields.Date(related="log_id.date", store=True)
    sequence = fields.Integer(default=10)
    incident_type = fields.Selection(
        [(key, INCIDENT_TYPE_LABELS[key]) for key in INCIDENT_TYPES],
        string="Type",
        help="Empty when the field app did not say.",
    )
    description = fields.Text(required=True)
    people_involved = fields.Char()
    action_taken = fields.Text()

    @api.depends("incident_type", "description")
    def _compute_display_name(self):
        labels = dict(self._fields["incident_type"]._description_selection(self.env))
        for incident in self:
            text = (incident.description or "").strip().splitlines()
            first = text[0] if text else ""
            if len(first) > 60:
                first = first[:57] + "..."
            incident.display_name = (
                f"{labels.get(incident.incident_type) or self.env._('Incident')}: {first}"
            )

    def _snapshot(self):
        self.ensure_one()
        return {
            "type": self.incident_type,
            "description": self.description,
            "people_involved": self.people_involved or None,
            "action_taken": self.action_taken or None,
        }
