from odoo import api, fields, models
from odoo.tools import SQL


class ConstructionJobCostReport(models.Model):
    """Field time in the job cost report.

    Approved field time and equipment hours are actual cost; submitted ones
    are shown as pending labor (and pending equipment) beside it, so that the
    controller sees what the supervisors have yet to approve; rejected and
    withdrawn lines never count. Lines that did not come from the field
    (empty ``field_state``) count as before.
    """

    _inherit = "construction.job.cost.report"
    _depends = {"account.analytic.line": ["field_state"]}

    pending_field_cost = fields.Monetary(
        string="Pending Field Cost",
        readonly=True,
        help="Crew time and equipment hours from the field, submitted and not yet approved.",
    )

    @api.model
    def _job_cost_actual_condition(self):
        return SQL(
            "(%s AND (aal.field_state IS NULL OR aal.field_state = 'approved'))",
            super()._job_cost_actual_condition(),
        )

    @api.model
    def _job_cost_sources(self, as_of):
        # Lines that have only pending field time still get their row.
        zero = SQL("0::numeric")
        return [
            *super()._job_cost_sources(as_of),
            SQL(
                """SELECT aal.job_id, aal.phase_id, aal.cost_code_id, %(z)s, %(z)s, %(z)s, %(z)s,
                          %(z)s, %(z)s
                     FROM account_analytic_line aal
                    WHERE aal.job_id IS NOT NULL AND aal.field_state = 'submitted'
                      AND aal.date <= %(as_of)s
                 GROUP BY aal.job_id, aal.phase_id, aal.cost_code_id""",
                z=zero,
                as_of=as_of,
            ),
        ]

    @api.model
    def _job_cost_query(self, as_of):
        return SQL(
            """SELECT report.*, COALESCE(pending.amount, 0) AS pending_field_cost
                 FROM (%(report)s) report
            LEFT JOIN LATERAL (
                   SELECT SUM(-aal.amount) AS amount
                     FROM account_analytic_line aal
                    WHERE aal.job_id = report.job_id
                      AND aal.phase_id IS NOT DISTINCT FROM report.phase_id
                      AND aal.cost_code_id IS NOT DISTINCT FROM report.cost_code_id
                      AND aal.field_state = 'submitted'
                      AND aal.date <= %(as_of)s
            ) pending ON TRUE""",
            report=super()._job_cost_query(as_of),
            as_of=as_of,
        )
