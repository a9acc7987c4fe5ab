from odoo import api, fields, models

from ..domain.signing import whsec_for


class ConstructionSyncEndpointSecret(models.TransientModel):
    """Shows a freshly generated secret once; it is never displayed again."""

    _name = "construction.sync.endpoint.secret"
    _description = "Construction Webhook Secret (shown once)"

    endpoint_id = fields.Many2one("construction.sync.endpoint", required=True, ondelete="cascade")
    secret = fields.Char(readonly=True)
    whsec = fields.Char(string="Standard Webhooks secret", compute="_compute_whsec")

    @api.depends("secret")
    def _compute_whsec(self):
        for wizard in self:
            wizard.whsec = whsec_for(wizard.secret) if wizard.secret else False
