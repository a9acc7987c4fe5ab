from odoo import _, api, fields, models
from odoo.tools import SQL


class ConstructionFieldSyncStatus(models.Model):
    """When each field app device last synced for a job.

    One row per (job, source, device), read from the sync log: the supervisor
    reads on the job "synced N minutes ago" for every phone, and sees which
    one has been offline.
    """

    _name = "construction.field.sync.status"
    _description = "Field Sync Status"
    _auto = False
    _order = "last_synced_at desc"
    _rec_name = "device"
    _depends = {
        "construction.field.sync.log": [
            "job_id",
            "source_id",
            "device",
            "synced_at",
            "occurred_at",
            "message_count",
        ],
        "project.project": ["company_id"],
    }

    job_id = fields.Many2one("project.project", string="Job", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    source_id = fields.Many2one("construction.sync.source", string="Source", readonly=True)
    device = fields.Char(readonly=True)
    last_synced_at = fields.Datetime(string="Last Synced", readonly=True)
    last_occurred_at = fields.Datetime(
        string="Latest Change Made At",
        readonly=True,
        help="The newest occurred_at applied from this device.",
    )
    message_count = fields.Integer(string="Messages Applied", readonly=True)
    synced_ago = fields.Char(string="Synced", compute="_compute_synced_ago")

    @property
    def _table_query(self):
        return SQL(
            """SELECT MIN(log.id) AS id, log.job_id, job.company_id, log.source_id, log.device,
                      MAX(log.synced_at) AS last_synced_at,
                      MAX(log.occurred_at) AS last_occurred_at,
                      SUM(log.message_count) AS message_count
                 FROM construction_field_sync_log log
                 JOIN project_project job ON job.id = log.job_id
             GROUP BY log.job_id, job.company_id, log.source_id, log.device"""
        )

    @api.depends("last_synced_at")
    def _compute_synced_ago(self):
        now = fields.Datetime.now()
        for status in self:
            if not status.last_synced_at:
                status.synced_ago = _("never synced")
                continue
            minutes = int((now - status.last_synced_at).total_seconds() // 60)
            if minutes < 1:
                status.synced_ago = _("synced just now")
            elif minutes < 120:
                status.synced_ago = _("synced %s minutes ago", minutes)
            elif minutes < 48 * 60:
                status.synced_ago = _("synced %s hours ago", minutes // 60)
            else:
                status.synced_ago = _("synced %s days ago", minutes // (24 * 60))

    @api.model
    def _touch(self, entries):
        """Record a batch's syncs (see construction.field.sync.log)."""
        self.env["construction.field.sync.log"].sudo()._record(entries)
