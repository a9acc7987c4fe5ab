from odoo import _, api, fields, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    construction_compliance_warning = fields.Text(
        compute="_compute_construction_compliance_warning",
        help="Vendor compliance gaps on the payment date.",
    )

    @api.depends("payment_date", "line_ids")
    def _compute_construction_compliance_warning(self):
        Doc = self.env["construction.compliance.document"]
        for wizard in self:
            bills = wizard.line_ids.move_id
            if not wizard.payment_date or not bills:
                wizard.construction_compliance_warning = False
                continue
            results = bills._construction_compliance_results(wizard.payment_date)
            lines = [
                _(
                    "%(bill)s: %(gaps)s",
                    bill=bill.name or bill.ref,
                    gaps="; ".join(
                        Doc._construction_gap_text(gap, bill.company_id)
                        for gap in results[bill.id].gaps
                    ),
                )
                for bill in bills
                if bill.id in results and results[bill.id].gaps
            ]
            wizard.construction_compliance_warning = "\n".join(lines) or False

    def _create_payments(self):
        """Refuse payment of bills with open blocking match exceptions or blocking vendor
        compliance gaps on the payment date; tell subscribers when a matched bill is paid."""
        bills = self.line_ids.move_id
        bills._construction_check_not_blocked(_("Payment"))
        compliance = bills._construction_check_compliance(self.payment_date)
        payments = super()._create_payments()
        bills._construction_compliance_after_payment(payments, compliance)
        bills._construction_notify_paid()
        return payments
