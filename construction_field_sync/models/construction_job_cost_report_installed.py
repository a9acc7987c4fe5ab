from odoo import api, fields, models
from odoo.tools import SQL


class ConstructionJobCostReport(models.Model):
    """Installed quantities in the job cost report.

    A line with a budget quantity gains the quantity installed by the
    report's date (not withdrawn), its percent complete by units, its earned
    budget (revised budget as of that date x installed / budget quantity) and
    its productivity (earned budget / actual cost). Lines without a budget
    quantity, or without actual cost for productivity, have no figure (NULL:
    sums over lines leave them out). Same arithmetic as ``domain/earned.py``.
    """

    _inherit = "construction.job.cost.report"
    _depends = {
        "construction.installed.quantity": [
            "job_id",
            "phase_id",
            "cost_code_id",
            "date",
            "quantity",
            "state",
        ],
    }

    installed_quantity = fields.Float(
        string="Installed Quantity", readonly=True, digits="Product Unit of Measure"
    )
    # Ratios: summing or averaging them over lines means nothing, so no aggregate.
    percent_complete_units = fields.Float(
        string="% Complete (Units)", readonly=True, aggregator=None
    )
    earned_budget = fields.Monetary(
        readonly=True, help="Revised budget x installed quantity / budget quantity."
    )
    productivity = fields.Float(
        readonly=True,
        aggregator=None,
        digits=(16, 2),
        help="Earned budget / actual cost: below 1, the work installed costs more than budgeted.",
    )

    @api.model
    def _job_cost_query(self, as_of):
        return SQL(
            """SELECT report.*,
                      COALESCE(installed.quantity, 0) AS installed_quantity,
                      progress.percent AS percent_complete_units,
                      progress.earned AS earned_budget,
                      CASE WHEN report.actual > 0 THEN progress.earned / report.actual END
                          AS productivity
                 FROM (%(report)s) report
            LEFT JOIN LATERAL (
                   SELECT SUM(iq.quantity) AS quantity
                     FROM construction_installed_quantity iq
                    WHERE report.budget_line_id IS NOT NULL
                      AND iq.job_id = report.job_id
                      AND COALESCE(iq.phase_id, 0) = COALESCE(report.phase_id, 0)
                      AND iq.cost_code_id = report.cost_code_id
                      AND iq.state = 'recorded'
                      AND iq.date <= %(as_of)s
            ) installed ON TRUE
           CROSS JOIN LATERAL (
                   SELECT CASE WHEN report.budget_quantity > 0
                               THEN COALESCE(installed.quantity, 0) * 100
                                    / report.budget_quantity::numeric END AS percent,
                          CASE WHEN report.budget_quantity > 0
                               THEN report.revised_budget * COALESCE(installed.quantity, 0)
                                    / report.budget_quantity::numeric END AS earned
            ) progress""",
            report=super()._job_cost_query(as_of),
            as_of=as_of,
        )
