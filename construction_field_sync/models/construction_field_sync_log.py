from odoo import api, fields, models
from odoo.tools import SQL


class ConstructionFieldSyncLog(models.Model):
    """One row per batch and (job, source, device) that synced: what the sync
    status adds up.

    Insert-only, so that cron workers applying batches at once never update
    the same row (which, under PostgreSQL's repeatable read, would fail one
    of them and replay its whole batch); a cron folds old rows into one per
    (job, source, device).
    """

    _name = "construction.field.sync.log"
    _description = "Field Sync Log"
    _log_access = False

    job_id = fields.Many2one("project.project", required=True, index=True, ondelete="cascade")
    source_id = fields.Many2one("construction.sync.source", required=True, ondelete="cascade")
    device = fields.Char(required=True, default="")
    synced_at = fields.Datetime(required=True)
    occurred_at = fields.Datetime()
    message_count = fields.Integer()

    @api.model
    def _record(self, entries):
        """Log a batch's syncs: ``entries`` are (job id, source id, device,
        occurred_at) of the messages applied; one INSERT for all of them."""
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
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """INSERT INTO construction_field_sync_log
                       (job_id, source_id, device, synced_at, occurred_at, message_count)
                   VALUES %s""",
                SQL(", ").join(
                    SQL("(%s, %s, %s, %s, %s, %s)", *key, now, newest, count)
                    for key, (count, newest) in counts.items()
                ),
            )
        )
        self.env["construction.field.sync.status"].invalidate_model()

    @api.model
    def _cron_fold(self, hours=1):
        """Fold the rows older than ``hours`` into one per (job, source, device)."""
        self.env.cr.execute(
            SQL(
                """WITH old AS (
                       DELETE FROM construction_field_sync_log
                        WHERE synced_at < (now() at time zone 'UTC') - %s * interval '1 hour'
                    RETURNING job_id, source_id, device, synced_at, occurred_at, message_count)
                   INSERT INTO construction_field_sync_log
                          (job_id, source_id, device, synced_at, occurred_at, message_count)
                   SELECT job_id, source_id, device, MAX(synced_at), MAX(occurred_at),
                          SUM(message_count)
                     FROM old
                 GROUP BY job_id, source_id, device""",
                hours,
            )
        )
        return self.env.cr.rowcount
