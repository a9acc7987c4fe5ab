"""Pure rules of construction_ap_match: no Odoo import here.

``rules`` (which match rule applies), ``tolerance`` (how far over is too far),
``normalize`` (numbers, invoice numbers, units, currencies) and ``engine``
(matching a bill against its purchase order lines, duplicates).
"""

from . import normalize, rules, tolerance, engine
