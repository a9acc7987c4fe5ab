from odoo import api, models

from ..domain.schemas import register_procurement_types
from ..handlers import procurement


class ConstructionSyncInbound(models.Model):
    _inherit = "construction.sync.inbound"

    @api.model
    def _message_type_registry(self):
        return register_procurement_types(super()._message_type_registry())

    def _handle_procurement_requisition(self, batch):
        return procurement.apply_requisitions(self, batch)

    def _handle_procurement_vendor_ack(self, batch):
        return procurement.apply_vendor_acks(self, batch)

    def _handle_field_receipt(self, batch):
        return procurement.apply_receipts(self, batch)
