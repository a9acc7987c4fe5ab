from odoo import api, models

from ..domain.schemas import register_job_costing_types
from ..handlers import budget


class ConstructionSyncInbound(models.Model):
    _inherit = "construction.sync.inbound"

    @api.model
    def _message_type_registry(self):
        return register_job_costing_types(super()._message_type_registry())

    def _handle_master_budget(self, batch):
        return budget.apply_budgets(self, batch)
