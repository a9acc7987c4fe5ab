from odoo import api, fields, models

RETENTION_KINDS = [
    ("payable_held", "Retention Held (Payable)"),
    ("payable_released", "Retention Released (Payable)"),
    ("receivable_held", "Retention Held (Receivable)"),
    ("receivable_released", "Retention Released (Receivable)"),
]


class AccountMoveLine(models.Model):
    """Retention lines: on a subcontract bill, the part withheld from the
    subcontractor (payable); on a progress invoice, the part the owner
    withholds (receivable); and the lines of the bills and invoices that
    release them. They are never cost nor billing: they move money between
    the partner's account and the retention account."""

    _inherit = "account.move.line"

    construction_retention_kind = fields.Selection(
        RETENTION_KINDS, string="Retention", index="btree_not_null", copy=False
    )
    construction_retention_order_id = fields.Many2one(
        "purchase.order",
        string="Retention of Subcontract",
        index="btree_not_null",
        copy=False,
        help="The subcontract whose retention this line holds or releases.",
    )

    @api.model
    def _construction_retention_line_vals(self, kind, amount, account, name, job=None, order=None):
        """Invoice line values of a retention line.

        ``amount`` is positive; held retention is a negative line (it reduces
        what the bill or invoice asks to pay), released retention a positive
        one. No taxes and no analytic distribution: retention is neither cost
        nor revenue.
        """
        sign = -1 if kind.endswith("_held") else 1
        return {
            "name": name,
            "display_type": "product",
            "quantity": 1,
            "price_unit": sign * amount,
            "account_id": account.id,
            "tax_ids": [fields.Command.clear()],
            "analytic_distribution": False,
            "construction_retention_kind": kind,
            "construction_retention_order_id": order.id if order else False,
            "job_id": job.id if job else False,
        }
