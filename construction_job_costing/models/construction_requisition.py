from odoo import _, models


class ConstructionRequisition(models.Model):
    _inherit = "construction.requisition"

    def _budget_new_amounts(self):
        """{(job, phase, cost code): estimated amount} of the requisitions' lines."""
        amounts = {}
        for line in self.line_ids:
            key = (line.job_id.id, line.phase_id.id or False, line.cost_code_id.id or False)
            amounts[key] = amounts.get(key, 0.0) + line.estimated_amount
        return amounts

    def _check_budget_on_approval(self):
        warnings = super()._check_budget_on_approval()
        report = self.env["construction.job.cost.report"]
        for requisition in self:
            warnings += report._check_budget(
                requisition._budget_new_amounts(),
                requisition.company_id,
                _("Requisition %s", requisition.name),
            )
        return warnings

    def _check_can_approve(self):
        """A controller approving over budget (with a reason) approves whatever
        the amount band: the over-budget approval is the controller's."""
        if self.env.context.get("construction_budget_override_reason") and self.env.user.has_group(
            "construction_base.group_controller"
        ):
            return super(ConstructionRequisition, self.sudo())._check_can_approve()
        return super()._check_can_approve()

    def action_open_budget_override(self):
        return self.env["construction.budget.override.wizard"]._open(self, "action_approve")
