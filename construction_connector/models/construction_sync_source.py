from odoo import _, api, fields, models
from odoo.addons.construction_base.domain.coding import code_problem
from odoo.exceptions import ValidationError


class ConstructionSyncSource(models.Model):
    """An external system allowed to send messages (field app, AP platform...)."""

    _name = "construction.sync.source"
    _description = "Construction Sync Source"
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, help="Sent as `source` in every message, e.g. fieldapp.")
    name = fields.Char(required=True)
    company_ids = fields.Many2many(
        "res.company",
        string="Allowed Companies",
        help="Companies this source may write into. Empty: every company of the sending user.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Integration User",
        help="The Odoo user the system authenticates as (with its API key).",
    )
    max_attempts = fields.Integer(default=8, required=True)
    active = fields.Boolean(default=True)
    inbound_count = fields.Integer(compute="_compute_inbound_count")

    _sql_constraints = [
        ("code_uniq", "unique (code)", "A source with this code already exists."),
        ("max_attempts_positive", "CHECK (max_attempts > 0)", "Max attempts must be positive."),
    ]

    @api.constrains("code")
    def _check_code(self):
        for source in self:
            if code_problem(source.code):
                raise ValidationError(
                    _(
                        "Source code %s may only hold letters, digits and . _ - / (no spaces).",
                        source.code,
                    )
                )

    def _compute_inbound_count(self):
        counts = dict(
            self.env["construction.sync.inbound"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.inbound_count = counts.get(source, 0)

    def action_view_inbound(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_connector.construction_sync_inbound_action"
        )
        action["domain"] = [("source_id", "=", self.id)]
        return action
