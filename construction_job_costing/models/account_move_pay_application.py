from odoo import fields, models


class AccountMove(models.Model):
    """The customer invoice of a certified pay application links back to it;
    the application is invoiced while its invoice is posted."""

    _inherit = "account.move"

    construction_pay_application_id = fields.Many2one(
        "construction.pay.application",
        string="Pay Application",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The certified pay application this progress invoice bills.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.construction_pay_application_id.sudo()._set_invoiced(True)
        return posted

    def button_draft(self):
        result = super().button_draft()
        self.construction_pay_application_id.sudo()._set_invoiced(False)
        return result
