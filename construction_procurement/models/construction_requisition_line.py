from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ConstructionRequisitionLine(models.Model):
    _name = "construction.requisition.line"
    _description = "Construction Requisition Line"
    _inherit = ["construction.job.mixin"]
    _order = "requisition_id, sequence, id"
    _check_company_auto = True

    requisition_id = fields.Many2one(
        "construction.requisition", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    state = fields.Selection(related="requisition_id.state", store=True)
    company_id = fields.Many2one(
        related="requisition_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    job_id = fields.Many2one(
        related="requisition_id.job_id", store=True, readonly=True, precompute=True
    )
    product_id = fields.Many2one(
        "product.product", domain="[('purchase_ok', '=', True)]", check_company=True
    )
    name = fields.Char(string="Description", required=True)
    product_qty = fields.Float(
        string="Quantity", required=True, default=1.0, digits="Product Unit of Measure"
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_needed = fields.Date(string="Needed By")
    estimated_unit_cost = fields.Monetary(currency_field="currency_id")
    estimated_amount = fields.Monetary(
        compute="_compute_estimated_amount", store=True, currency_field="currency_id"
    )
    vendor_id = fields.Many2one("res.partner", string="Suggested Vendor")
    purchase_line_ids = fields.One2many("purchase.order.line", "requisition_line_id")
    qty_ordered = fields.Float(
        compute="_compute_qty_ordered", store=True, digits="Product Unit of Measure"
    )
    qty_to_order = fields.Float(
        compute="_compute_qty_ordered", store=True, digits="Product Unit of Measure"
    )

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if line.product_id and not line.product_uom_id:
                line.product_uom_id = line.product_id.uom_po_id
            elif not line.product_uom_id:
                line.product_uom_id = self.env.ref("uom.product_uom_unit")

    @api.depends("product_qty", "estimated_unit_cost")
    def _compute_estimated_amount(self):
        for line in self:
            line.estimated_amount = (
                line.currency_id.round(line.product_qty * line.estimated_unit_cost)
                if line.currency_id
                else line.product_qty * line.estimated_unit_cost
            )

    @api.depends(
        "product_qty",
        "product_uom_id",
        "purchase_line_ids.product_qty",
        "purchase_line_ids.product_uom",
        "purchase_line_ids.state",
    )
    def _compute_qty_ordered(self):
        for line in self:
            ordered = 0.0
            for po_line in line.purchase_line_ids.filtered(lambda pl: pl.state != "cancel"):
                ordered += po_line.product_uom._compute_quantity(
                    po_line.product_qty, line.product_uom_id or po_line.product_uom
                )
            line.qty_ordered = ordered
            line.qty_to_order = max(line.product_qty - ordered, 0.0)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            if not self.estimated_unit_cost:
                self.estimated_unit_cost = self.product_id.standard_price

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "phase_id" not in vals and vals.get("requisition_id"):
                requisition = self.env["construction.requisition"].browse(vals["requisition_id"])
                vals["phase_id"] = requisition.phase_id.id
        return super().create(vals_list)

    @api.constrains("product_qty", "estimated_unit_cost")
    def _check_figures(self):
        for line in self:
            if line.product_qty <= 0:
                raise ValidationError(
                    _(
                        "Requisition %(req)s, line %(line)s: the quantity must be positive "
                        "(%(qty)s).",
                        req=line.requisition_id.name,
                        line=line.name,
                        qty=line.product_qty,
                    )
                )
            if line.estimated_unit_cost < 0:
                raise ValidationError(
                    _(
                        "Requisition %(req)s, line %(line)s: the estimated unit cost cannot be "
                        "negative.",
                        req=line.requisition_id.name,
                        line=line.name,
                    )
                )

    def _check_ready(self):
        """Every line needs a cost code before the requisition is submitted."""
        for line in self:
            if not line.cost_code_id:
                raise ValidationError(
                    _(
                        "Requisition %(req)s, line %(line)s: choose a cost code.",
                        req=line.requisition_id.name,
                        line=line.name,
                    )
                )
