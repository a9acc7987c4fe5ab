from odoo import api, models


class ReportDailyLog(models.AbstractModel):
    """The daily report of logs: what the reader may read, nothing more."""

    _name = "report.construction_field_sync.report_daily_log"
    _description = "Daily Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        logs = self.env["construction.daily.log"].browse(docids)
        logs.check_access("read")
        return {"doc_ids": logs.ids, "doc_model": logs._name, "docs": logs}
