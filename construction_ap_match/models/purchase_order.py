from odoo import api, fields, models

from .res_partner import COMPLIANCE_STATES


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    construction_compliance_state = fields.Selection(
        COMPLIANCE_STATES,
        string="Vendor Compliance",
        compute="_compute_construction_compliance",
        help="Subcontracts: whether the subcontractor's required documents are on file "
        "today for the job.",
    )
    construction_compliance_gaps = fields.Text(
        string="Compliance Gaps", compute="_compute_construction_compliance"
    )

    @api.depends("partner_id", "order_kind", "job_id", "company_id")
    def _compute_construction_compliance(self):
        subcontracts = self.filtered(
            lambda o: o.order_kind == "subcontract" and o.partner_id and o.id
        )
        today = fields.Date.context_today(self)
        Doc = self.env["construction.compliance.document"]
        results = Doc._construction_evaluate(
            [
                (
                    order.id,
                    order.company_id,
                    order.partner_id.commercial_partner_id,
                    today,
                    tuple(sorted((order.job_id | order.order_line.job_id).ids)) or (None,),
                    None,
                )
                for order in subcontracts
            ]
        )
        for order in self:
            result = results.get(order.id)
            order.construction_compliance_state = result.state if result else "none"
            order.construction_compliance_gaps = (
                Doc._construction_result_text(result, order.company_id) if result else False
            )
