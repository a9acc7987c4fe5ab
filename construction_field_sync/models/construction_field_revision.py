import json

from odoo import api, fields, models


class ConstructionFieldRevision(models.Model):
    """A version of a field record that a later change overwrote.

    Two phones changing one record: the later ``occurred_at`` wins and the
    version it replaced is kept here (and in the record's chatter where it
    has one), so nothing a person typed is lost.
    """

    _name = "construction.field.revision"
    _description = "Field Record Revision"
    _order = "id desc"

    res_model = fields.Char(string="Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", required=True, index=True, readonly=True
    )
    external_id = fields.Char(string="Field App ID", readonly=True, index=True)
    source_id = fields.Many2one("construction.sync.source", readonly=True)
    device = fields.Char(readonly=True)
    occurred_at = fields.Datetime(string="Made At", readonly=True)
    replaced_by_source_id = fields.Many2one("construction.sync.source", readonly=True)
    replaced_by_device = fields.Char(readonly=True)
    replaced_by_occurred_at = fields.Datetime(string="Replaced by a Change Made At", readonly=True)
    values = fields.Json(readonly=True)
    values_text = fields.Text(string="Overwritten Values", compute="_compute_values_text")

    @api.depends("values")
    def _compute_values_text(self):
        for revision in self:
            revision.values_text = json.dumps(
                revision.values or {}, indent=2, ensure_ascii=False, default=str
            )
