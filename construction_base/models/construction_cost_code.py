from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import csi
from ..domain.coding import COST_TYPES, code_problem, normalize_code


def code_problem_message(env, field_label, value, problem):
    """Translated text for a key returned by ``domain.coding.code_problem``."""
    texts = {
        "empty": env._("%(field)s is required.", field=field_label),
        "too_long": env._(
            "%(field)s %(value)s is longer than 64 characters.", field=field_label, value=value
        ),
        "bad_chars": env._(
            "%(field)s %(value)s may only hold letters, digits and . _ - / (no spaces).",
            field=field_label,
            value=value,
        ),
    }
    return texts[problem]


class ConstructionCostCode(models.Model):
    _name = "construction.cost.code"
    _inherit = ["construction.unique.code.mixin"]
    _description = "Construction Cost Code"
    _order = "company_id, code"
    _parent_store = True
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one(
        "construction.cost.code",
        string="Parent",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("construction.cost.code", "parent_id", string="Sub-codes")
    # A list, not the domain's tuple: Odoo only reflects list selections into
    # ir.model.fields.selection, where the labels for the user's language come from.
    cost_type = fields.Selection(list(COST_TYPES), required=True, default="material")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    description = fields.Text()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "A cost code with this code already exists in this company.",
        ),
    ]

    @api.depends("code", "name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for record in self:
            record.complete_name = f"{record.code} {record.name}" if record.code else record.name

    @api.depends("code", "name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} {record.name}" if record.code else record.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "code" in vals:
                vals["code"] = normalize_code(vals["code"])
        self._check_unique_code_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals:
            vals["code"] = normalize_code(vals["code"])
        self._check_unique_code_write(vals)
        if vals.get("parent_id"):
            self._check_new_parent(self.browse(vals["parent_id"]))
        return super().write(vals)

    def _check_new_parent(self, parent):
        """Refuse, by name, a parent that is one of the codes' own descendants."""
        descendant = self.search([("id", "child_of", self.ids), ("id", "=", parent.id)])
        if descendant:
            raise ValidationError(
                _(
                    "Cost code %(code)s cannot be placed under %(parent)s: that would make "
                    "the hierarchy a cycle.",
                    code=self.filtered(lambda c: parent.parent_path.startswith(c.parent_path))[
                        :1
                    ].display_name
                    or self[:1].display_name,
                    parent=parent.display_name,
                )
            )

    def _unique_code_message(self, code, scope, clash):
        if not clash:
            return _(
                "Cost code %(code)s appears twice for %(company)s.", code=code, company=scope.name
            )
        return _(
            "Cost code %(code)s already exists in %(company)s (%(name)s).",
            code=code,
            company=scope.name,
            name=clash.name,
        )

    @api.constrains("code")
    def _check_code(self):
        for record in self:
            problem = code_problem(record.code)
            if problem:
                raise ValidationError(
                    code_problem_message(self.env, _("Cost code"), record.code, problem)
                )

    @api.constrains("parent_id")
    def _check_parent_cycle(self):
        if self._has_cycle():
            cyclic = self.filtered(lambda r: r.parent_id)
            raise ValidationError(
                _(
                    "Cost code %(code)s cannot be placed under %(parent)s: that would make "
                    "the hierarchy a cycle.",
                    code=cyclic[:1].display_name,
                    parent=cyclic[:1].parent_id.display_name,
                )
            )

    @api.model
    def _install_csi_divisions(self, companies=None):
        """Create the CSI MasterFormat divisions missing in ``companies``.

        Called at module installation for every company, and when a company
        is created; admins extend the tree below these divisions.
        """
        companies = companies or self.env["res.company"].sudo().search([("active", "=", True)])
        existing = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [("company_id", "in", companies.ids), ("parent_id", "=", False)],
                ["company_id"],
                ["code:array_agg"],
            )
        )
        codes_by_company = {company.id: set(codes) for company, codes in existing}
        vals_list = [
            {"code": code, "name": name, "cost_type": cost_type, "company_id": company.id}
            for company in companies
            for code, name, cost_type in csi.missing_divisions(codes_by_company.get(company.id, ()))
        ]
        return self.sudo().create(vals_list)
