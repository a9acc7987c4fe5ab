from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    construction_job_ids = fields.Many2many(
        "project.project",
        "construction_payment_job_rel",
        "payment_id",
        "job_id",
        string="Jobs Paid",
        copy=False,
        readonly=True,
        help="Jobs of the bills this payment pays: the next payment to the vendor on one of "
        "them needs the lien waiver covering this one.",
    )
    construction_compliance_release_id = fields.Many2one(
        "construction.compliance.release", string="Compliance Release", copy=False, readonly=True
    )
