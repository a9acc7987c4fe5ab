from odoo import fields, models

OPERATIONS = [("create", "New Line"), ("update", "Update"), ("error", "Error")]


class ConstructionBudgetImportWizardLine(models.TransientModel):
    """One row of the previewed file: its values, what importing does with it
    (create or update a budget line) or why it cannot be imported."""

    _name = "construction.budget.import.wizard.line"
    _description = "Import Budget Lines: Row"
    _order = "wizard_id, row, id"

    wizard_id = fields.Many2one(
        "construction.budget.import.wizard", required=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    row = fields.Integer(help="Row number in the file (the header is row 1).")
    phase = fields.Char()
    cost_code = fields.Char()
    description = fields.Char()
    quantity = fields.Float(digits="Product Unit of Measure")
    uom = fields.Char(string="Unit")
    amount = fields.Monetary()
    operation = fields.Selection(OPERATIONS, string="Import")
    error = fields.Text()
