from odoo import api, models

from ..domain.openapi import job_cost_openapi, wip_openapi
from ..domain.schemas import register_job_costing_types
from ..handlers import budget


class ConstructionSyncInbound(models.Model):
    _inherit = "construction.sync.inbound"

    @api.model
    def _message_type_registry(self):
        return register_job_costing_types(super()._message_type_registry())

    @api.model
    def _openapi_extra(self):
        extra = super()._openapi_extra()
        for part in (job_cost_openapi(), wip_openapi()):
            extra["paths"].update(part["paths"])
            extra["components"].update(part["components"])
        return extra

    def _handle_master_budget(self, batch):
        return budget.apply_budgets(self, batch)
