from odoo import fields, models

FIELD_STATES = [
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Withdrawn"),
]


class AccountAnalyticLine(models.Model):
    """Field time and equipment hours are analytic lines with an approval state.

    ``field_state`` is empty for every line that did not come from the field
    (bills, plain timesheets): those behave exactly as in standard Odoo and
    count as actual cost. Field lines count as actual cost once approved,
    as pending labor while submitted, and never when rejected or withdrawn.
    """

    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "construction.field.record"]

    field_state = fields.Selection(
        FIELD_STATES,
        string="Approval",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Empty for lines that did not come from the field: they count as in standard Odoo.",
    )
    field_approved_by = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    field_approved_at = fields.Datetime(string="Approved At", readonly=True, copy=False)

    def init(self):
        # The job cost report reads field lines by state per job.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS account_analytic_line_field_pending_idx"
            " ON account_analytic_line (job_id, phase_id, cost_code_id)"
            " WHERE field_state = 'submitted'"
        )

    _field_versioned_fields = (
        "date",
        "employee_id",
        "job_id",
        "phase_id",
        "cost_code_id",
        "unit_amount",
        "name",
        "field_state",
    )

    def _field_is_approved(self):
        self.ensure_one()
        return self.field_state == "approved"

    def _field_is_withdrawn(self):
        self.ensure_one()
        return self.field_state == "cancelled"

    def _field_amendment_approver(self):
        self.ensure_one()
        return self.field_approved_by

    def _field_withdraw(self, occurred_at):
        return self.with_context(construction_field_amendment=True).write(
            {"field_state": "cancelled", "field_occurred_at": occurred_at}
        )
