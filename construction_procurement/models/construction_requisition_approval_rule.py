from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain.approval import Band, band_for


class ConstructionRequisitionApprovalRule(models.Model):
    """Who approves a requisition, by amount band, per company."""

    _name = "construction.requisition.approval.rule"
    _description = "Requisition Approval Rule"
    _order = "company_id, sequence, min_amount"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_amount = fields.Monetary(
        string="Above", help="The band holds amounts strictly above this (0: from zero)."
    )
    max_amount = fields.Monetary(string="Up to", help="0: no upper limit.")
    approver = fields.Selection(
        [
            ("project_manager", "The job's project manager"),
            ("group", "A member of a group"),
            ("user", "A given user"),
        ],
        string="Approved By",
        required=True,
        default="project_manager",
    )
    group_id = fields.Many2one("res.groups", string="Approver Group")
    user_id = fields.Many2one("res.users", string="Approver User", check_company=True)
    active = fields.Boolean(default=True)

    @api.constrains("min_amount", "max_amount", "approver", "group_id", "user_id")
    def _check_rule(self):
        for rule in self:
            if rule.max_amount and rule.max_amount <= rule.min_amount:
                raise ValidationError(
                    _(
                        "Approval rule %(rule)s: 'Up to' (%(max)s) must be above 'Above' "
                        "(%(min)s).",
                        rule=rule.name,
                        max=rule.max_amount,
                        min=rule.min_amount,
                    )
                )
            if rule.approver == "group" and not rule.group_id:
                raise ValidationError(_("Approval rule %s needs a group.", rule.name))
            if rule.approver == "user" and not rule.user_id:
                raise ValidationError(_("Approval rule %s needs a user.", rule.name))

    @api.model
    def _rule_for(self, company, amount):
        rules = self.search([("company_id", "=", company.id)])
        band = band_for(
            amount,
            [Band(r.id, r.sequence, r.min_amount, r.max_amount) for r in rules],
        )
        return self.browse(band.rule_id) if band else self.browse()

    def _approvers(self, job):
        """The users who may approve under this rule for ``job``."""
        self.ensure_one()
        if self.approver == "project_manager":
            return job.user_id
        if self.approver == "user":
            return self.user_id
        return self.group_id.users.filtered(lambda u: self.company_id in u.company_ids)

    def _describe(self, job):
        self.ensure_one()
        if self.approver == "project_manager":
            return _("the project manager of %s", job.display_name)
        if self.approver == "user":
            return self.user_id.name
        return _("a member of %s", self.group_id.full_name)
