from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    field_sync_status_ids = fields.One2many(
        "construction.field.sync.status", "job_id", string="Field Sync"
    )
