from odoo import _, api, fields, models
from odoo.tools import SQL


class ConstructionFieldSyncStatus(models.Model):
    """When each field app device last synced for a job.

    One row per (job, source, device), upserted in one statement per batch
    of messages applied: the supervisor reads on the job "synced N minutes
    ago" for every phone, and sees which one has been offline.
    """

    _name = "construction.field.sync.status"
    _description = "Field Sync Status"
    _order = "last_synced_at desc"
    _rec_name = "device"

    job_id = fields.Many2one("project.project", string="Job", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="job_id.company_id", store=True)
    source_id = fields.Many2one(
        "construction.sync.source", string="Source", required=True, ondelete="cascade"
    )
    device = fields.Char(required=True, default="")
    last_synced_at = fields.Datetime(string="Last Synced", required=True)
    last_occurred_at = fields.Datetime(
        string="Latest Change Made At", help="The newest occurred_at applied from this device."
    )
    message_count = fields.Integer(string="Messages Applied")
    synced_ago = fields.Char(string="Synced", compute="_compute_synced_ago")

    _sql_constraints = [
        (
            "job_source_device_uniq",
            "UNIQUE (job_id, source_id, device)",
            "One sync status per job, source and device.",
        )
    ]

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
        """Record a batch's syncs: ``entries`` are (job id, source id, device,
        occurred_at) of the messages applied, one upsert for all of them."""
        counts = {}
        for job_id, source_id, device, occurred_at in entries:
            if not job_id or not source_id:
                continue
            key = (job_id, source_id, device or "")
            count, newest = counts.get(key, (0, None))
            if occurred_at and (newest is None or occurred_at > newest):
                newest = occurred_at
            counts[key] = (count + 1, newest)
        if not counts:
            return
        self.flush_model()
        now = fields.Datetime.now()
        rows = [
            SQL("(%s, %s, %s, %s, %s, %s, %s, %s)", *key, now, newest, count, self.env.uid, now)
            for key, (count, newest) in counts.items()
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO construction_field_sync_status AS s
                       (job_id, source_id, device, last_synced_at, last_occurred_at,
                        message_count, create_uid, create_date)
                   VALUES %s
                   ON CONFLICT (job_id, source_id, device) DO UPDATE
                      SET last_synced_at = EXCLUDED.last_synced_at,
                          last_occurred_at =
                              GREATEST(s.last_occurred_at, EXCLUDED.last_occurred_at),
                          message_count = s.message_count + EXCLUDED.message_count""",
                SQL(", ").join(rows),
            )
        )
        self.invalidate_model()
