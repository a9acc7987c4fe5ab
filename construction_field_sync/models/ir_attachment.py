from odoo import fields, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    field_external_id = fields.Char(
        string="Field App ID",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The id the field app gave this photo (field.daily_log_photo): a photo sent "
        "twice is attached once.",
    )
