from odoo import api, models

from ..domain.payloads import register_ap_types
from ..handlers import ap, compliance


class ConstructionSyncInbound(models.Model):
    _inherit = "construction.sync.inbound"

    @api.model
    def _message_type_registry(self):
        return register_ap_types(super()._message_type_registry())

    def _handle_ap_vendor_bill(self, batch):
        return ap.apply_vendor_bills(self, batch)

    def _handle_master_vendor_compliance(self, batch):
        return compliance.apply_vendor_compliance(self, batch)
