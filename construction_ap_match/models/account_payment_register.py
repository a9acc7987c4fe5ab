from odoo import _, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        """Refuse payment of bills with open blocking match exceptions; tell
        subscribers when a matched bill is paid."""
        bills = self.line_ids.move_id
        bills._construction_check_not_blocked(_("Payment"))
        payments = super()._create_payments()
        bills._construction_notify_paid()
        return payments
