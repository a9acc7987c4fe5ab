from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain.timesheet_rules import DEFAULT_DAILY_LIMIT, HOLD, REFUSE

LIMIT_ACTIONS = [(REFUSE, "Refuse the entry"), (HOLD, "Hold it for the supervisor")]


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_field_daily_hours = fields.Float(
        string="Daily Hours Limit",
        default=float(DEFAULT_DAILY_LIMIT),
        digits=(4, 2),
        help="Most hours one employee may record on one day, across every job. Field time "
        "beyond it is refused or held for the supervisor.",
    )
    construction_field_limit_action = fields.Selection(
        LIMIT_ACTIONS,
        string="Field Time Beyond a Limit",
        default=REFUSE,
        required=True,
        help="What field time over the daily limit or dated in the future does: refused "
        "with the reason, or stored and held until the supervisor confirms it when "
        "approving. Time on a closed job or an archived cost code is always refused.",
    )

    @api.constrains("construction_field_daily_hours")
    def _check_construction_field_daily_hours(self):
        for company in self:
            if not 0 < company.construction_field_daily_hours <= 24:
                raise ValidationError(
                    _(
                        "The daily hours limit of %(company)s must be more than 0 and at "
                        "most 24 hours.",
                        company=company.name,
                    )
                )
