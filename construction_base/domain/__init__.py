"""Pure Python rules of construction_base: no Odoo import here."""
