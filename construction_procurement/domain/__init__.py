"""Pure rules of construction_procurement: no Odoo import here."""
