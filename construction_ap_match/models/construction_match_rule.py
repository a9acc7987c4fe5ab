from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .res_company import ACTIONS, LEVELS


class ConstructionMatchRule(models.Model):
    """Tolerances for matching bills, per vendor, product category or job.

    The most specific rule that applies to a bill line wins; company settings
    are the default when none does.
    """

    _name = "construction.match.rule"
    _description = "AP Match Rule"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    vendor_id = fields.Many2one("res.partner", string="Vendor", index=True)
    categ_id = fields.Many2one("product.category", string="Product Category")
    job_id = fields.Many2one(
        "project.project", string="Job", domain="[('is_job', '=', True)]", check_company=True
    )
    level = fields.Selection(LEVELS, required=True, default="three_way")
    price_tolerance_percent = fields.Float(string="Price Tolerance %")
    price_tolerance_amount = fields.Float(string="Price Tolerance (amount per unit)")
    qty_tolerance_percent = fields.Float(string="Quantity Tolerance %")
    qty_tolerance_units = fields.Float(string="Quantity Tolerance (units)")
    total_tolerance_amount = fields.Float(string="Bill Total Tolerance", default=0.01)
    action = fields.Selection(ACTIONS, string="On Breach", required=True, default="block")

    @api.constrains(
        "price_tolerance_percent",
        "price_tolerance_amount",
        "qty_tolerance_percent",
        "qty_tolerance_units",
        "total_tolerance_amount",
    )
    def _check_tolerances(self):
        for rule in self:
            for field in (
                "price_tolerance_percent",
                "price_tolerance_amount",
                "qty_tolerance_percent",
                "qty_tolerance_units",
                "total_tolerance_amount",
            ):
                if rule[field] < 0:
                    raise ValidationError(
                        _(
                            "Match rule %(rule)s: %(field)s cannot be negative.",
                            rule=rule.name,
                            field=rule._fields[field].string,
                        )
                    )
