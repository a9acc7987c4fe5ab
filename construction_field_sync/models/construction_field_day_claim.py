from odoo import api, fields, models
from odoo.tools import SQL


class ConstructionFieldDayClaim(models.Model):
    """One row per employee and day that field time was applied for.

    The daily hours limit adds up what is stored for an employee's day; two
    cron workers applying two batches with time of the same person and day
    would each miss the other's lines. Each batch upserts the rows of its
    (employee, day) pairs before checking: the second of two concurrent
    batches then fails with a serialization error, which the connector
    retries, and the retry sees the first batch's time.
    """

    _name = "construction.field.day.claim"
    _description = "Field Time Day Claim"
    _log_access = False

    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade")
    day = fields.Date(required=True)
    claimed_at = fields.Datetime()

    _sql_constraints = [
        ("employee_day_uniq", "UNIQUE (employee_id, day)", "One claim per employee and day.")
    ]

    @api.model
    def _claim(self, pairs):
        """Upsert the (employee id, date) pairs, in a fixed order (no deadlocks)."""
        pairs = sorted({(employee_id, day) for employee_id, day in pairs if employee_id and day})
        if not pairs:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO construction_field_day_claim (employee_id, day, claimed_at)
                   VALUES %s
                   ON CONFLICT (employee_id, day) DO UPDATE SET claimed_at = EXCLUDED.claimed_at""",
                SQL(", ").join(
                    SQL("(%s, %s, %s)", employee_id, day, fields.Datetime.now())
                    for employee_id, day in pairs
                ),
            )
        )
