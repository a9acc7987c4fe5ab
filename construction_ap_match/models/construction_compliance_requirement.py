from odoo import api, fields, models

from ..domain import compliance

APPLIES = [
    (compliance.APPLIES_ALL, "All vendors"),
    (compliance.APPLIES_SUBCONTRACTORS, "Subcontractors"),
    (compliance.APPLIES_CATEGORIES, "Vendors of certain categories"),
]
KINDS = [
    (compliance.KIND_VENDOR, "Per vendor (with expiry date)"),
    (compliance.KIND_PAYMENT, "Per payment (lien waiver)"),
]
COVERS = [
    (compliance.COVERS_PREVIOUS, "The previous payment on the job"),
    (compliance.COVERS_CURRENT, "The bill being paid"),
]
ACTIONS = [(compliance.WARN, "Warn"), (compliance.BLOCK, "Block payment")]


class ConstructionComplianceRequirement(models.Model):
    """A document a company wants from (some of) its vendors before paying them."""

    _name = "construction.compliance.requirement"
    _description = "Vendor Compliance Requirement"
    _order = "sequence, code, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Named by the field app and the API (master.vendor_compliance)."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    applies_to = fields.Selection(APPLIES, required=True, default=compliance.APPLIES_SUBCONTRACTORS)
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Vendor Categories",
        help="With 'Vendors of certain categories': the vendor tags concerned.",
    )
    kind = fields.Selection(KINDS, required=True, default=compliance.KIND_VENDOR)
    waiver_covers = fields.Selection(
        COVERS,
        default=compliance.COVERS_PREVIOUS,
        help="A per-payment waiver covers the payment made before (unconditional) or the "
        "bill now paid (conditional).",
    )
    action = fields.Selection(ACTIONS, required=True, default=compliance.BLOCK)
    min_coverage = fields.Monetary(
        string="Minimum Coverage", help="Coverage a certificate must show (0: any)."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(company_id, code)",
            "A requirement code is unique per company.",
        )
    ]

    @api.model
    def _construction_data(self, requirement):
        return compliance.Requirement(
            id=requirement.id,
            code=requirement.code,
            name=requirement.name,
            applies_to=requirement.applies_to,
            category_ids=frozenset(requirement.category_ids.ids),
            kind=requirement.kind,
            waiver_covers=requirement.waiver_covers or compliance.COVERS_PREVIOUS,
            action=requirement.action,
            min_coverage=compliance.Decimal(str(requirement.min_coverage or 0)),
        )

    @api.model
    def _construction_load_standard(self, company):
        """Create the standard requirement types, inactive, in ``company`` (those missing)."""
        existing = set(
            self.with_context(active_test=False)
            .search([("company_id", "=", company.id)])
            .mapped("code")
        )
        return self.create(
            [
                {**values, "company_id": company.id, "active": False}
                for values in compliance.STANDARD_REQUIREMENTS
                if values["code"] not in existing
            ]
        )
