from odoo import api, fields, models
from odoo.addons.construction_connector.domain.errors import INVALID_VALUE, ApiError

from ..domain.offline import future_error
from ..domain.schemas import register_field_types


class ConstructionSyncInbound(models.Model):
    _inherit = "construction.sync.inbound"

    @api.model
    def _message_type_registry(self):
        return register_field_types(super()._message_type_registry())

    def _prepare_row(self, raw, env, errors, sources, registry):
        """Field messages whose ``occurred_at`` is more than 10 minutes ahead of
        the server are refused at once (phone clocks drift), with the server
        time in the error, so that the app can correct and resend."""
        row = super()._prepare_row(raw, env, errors, sources, registry)
        if env is not None and env.type.startswith("field.") and env.occurred_at:
            message = future_error(env.occurred_at, fields.Datetime.now())
            if message:
                row["errors"].append(ApiError(INVALID_VALUE, "occurred_at", message))
        return row

    def _handle_field_timesheet(self, batch):
        from ..handlers import timesheet

        return timesheet.apply_timesheets(self, batch)

    def _handle_field_daily_log(self, batch):
        from ..handlers import daily_log

        return daily_log.apply_daily_logs(self, batch)

    def _handle_field_daily_log_photo(self, batch):
        from ..handlers import daily_log

        return daily_log.apply_daily_log_photos(self, batch)

    def _handle_field_installed_quantity(self, batch):
        from ..handlers import installed_quantity

        return installed_quantity.apply_installed_quantities(self, batch)

    def _handle_field_equipment_usage(self, batch):
        from ..handlers import equipment

        return equipment.apply_equipment_usages(self, batch)
