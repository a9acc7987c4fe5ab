from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_retention_percent = fields.Float(
        string="Default Retention %",
        digits=(5, 2),
        default=10.0,
        help="Retention percentage proposed on new jobs of this company.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["construction.cost.code"]._install_csi_divisions(companies)
        return companies
