from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ConstructionEquipment(models.Model):
    """A piece of equipment whose hours are booked to jobs at its hourly rate.

    Field apps name it by ``code`` (unique per company). Its default cost code
    (of cost type equipment) is proposed when a supervisor records its hours.
    """

    _name = "construction.equipment"
    _description = "Construction Equipment"
    _inherit = ["construction.unique.code.mixin", "mail.thread"]
    _order = "code, id"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    code = fields.Char(required=True, index=True, tracking=True)
    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    ownership = fields.Selection(
        [("owned", "Owned"), ("rented", "Rented")],
        required=True,
        default="owned",
        tracking=True,
    )
    hourly_rate = fields.Monetary(
        string="Hourly Cost Rate",
        tracking=True,
        help="Cost of one hour of this equipment on a job (fuel, wear, rental).",
    )
    cost_code_id = fields.Many2one(
        "construction.cost.code",
        string="Default Cost Code",
        check_company=True,
        domain="[('cost_type', '=', 'equipment'), ('company_id', '=', company_id)]",
        help="Proposed when its hours are recorded; a cost code of type equipment.",
    )
    active = fields.Boolean(default=True, tracking=True)
    note = fields.Text()
    usage_ids = fields.One2many("construction.equipment.usage", "equipment_id")
    usage_count = fields.Integer(compute="_compute_usage_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "Equipment with this code already exists in this company.",
        ),
        ("hourly_rate_positive", "CHECK (hourly_rate >= 0)", "The hourly rate cannot be negative."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for equipment in self:
            equipment.display_name = (
                f"[{equipment.code}] {equipment.name}" if equipment.code else equipment.name
            )

    def _compute_usage_count(self):
        counts = dict(
            self.env["construction.equipment.usage"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.usage_count = counts.get(equipment, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip()
        self._check_unique_code_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip()
        self._check_unique_code_write(vals)
        return super().write(vals)

    def _unique_code_message(self, code, scope, clash):
        if not clash:
            return _(
                "Equipment code %(code)s appears twice for %(company)s.",
                code=code,
                company=scope.name,
            )
        return _(
            "Equipment code %(code)s is already used in %(company)s by %(name)s.",
            code=code,
            company=scope.name,
            name=clash.name,
        )

    @api.constrains("cost_code_id")
    def _check_cost_code(self):
        for equipment in self:
            code = equipment.cost_code_id
            if code and code.cost_type != "equipment":
                raise ValidationError(
                    _(
                        "The default cost code of %(equipment)s must be of type Equipment; "
                        "%(code)s is of type %(type)s.",
                        equipment=equipment.display_name,
                        code=code.display_name,
                        type=dict(code._fields["cost_type"]._description_selection(self.env))[
                            code.cost_type
                        ],
                    )
                )

    def action_open_usages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Hours of %s", self.display_name),
            "res_model": "construction.equipment.usage",
            "view_mode": "list,form",
            "domain": [("equipment_id", "=", self.id)],
            "context": {"default_equipment_id": self.id},
        }
