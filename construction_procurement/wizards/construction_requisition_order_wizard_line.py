from odoo import fields, models


class ConstructionRequisitionOrderWizardLine(models.TransientModel):
    _name = "construction.requisition.order.wizard.line"
    _description = "Requisition Line to Order"

    wizard_id = fields.Many2one(
        "construction.requisition.order.wizard", required=True, ondelete="cascade"
    )
    requisition_line_id = fields.Many2one("construction.requisition.line", required=True)
    requisition_id = fields.Many2one(related="requisition_line_id.requisition_id")
    name = fields.Char(related="requisition_line_id.name")
    cost_code_id = fields.Many2one(related="requisition_line_id.cost_code_id")
    product_id = fields.Many2one("product.product")
    vendor_id = fields.Many2one("res.partner", string="Vendor")
    qty_to_order = fields.Float(related="requisition_line_id.qty_to_order")
    quantity = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Float(digits="Product Price")
    selected = fields.Boolean(default=True)
