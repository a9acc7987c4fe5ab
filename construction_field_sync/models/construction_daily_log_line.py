from odoo import _, api, models
from odoo.exceptions import UserError


class ConstructionDailyLogLine(models.AbstractModel):
    """What the lines of a daily log (manpower, incidents) share: an approved
    log is read-only, its lines too, except through an accepted amendment."""

    _name = "construction.daily.log.line"
    _description = "Daily Log Line"

    def _check_log_open(self, logs):
        if self.env.context.get("construction_field_amendment"):
            return
        approved = logs.filtered(lambda log: log.state == "approved")
        if approved:
            raise UserError(
                _(
                    "Daily log %(log)s is approved and can no longer be changed.",
                    log=approved[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_log_open(
            self.env["construction.daily.log"].browse(
                {vals["log_id"] for vals in vals_list if vals.get("log_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_log_open(self.log_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_log_open(self):
        self._check_log_open(self.log_id)
