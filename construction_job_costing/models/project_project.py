from odoo import _, fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    budget_ids = fields.One2many("construction.budget", "job_id", string="Budget")
    change_order_ids = fields.One2many("construction.change.order", "job_id")
    job_cost_budget = fields.Monetary(
        string="Revised Budget", compute="_compute_job_cost_figures", currency_field="currency_id"
    )
    job_cost_committed = fields.Monetary(
        string="Committed", compute="_compute_job_cost_figures", currency_field="currency_id"
    )
    job_cost_actual = fields.Monetary(
        string="Actual", compute="_compute_job_cost_figures", currency_field="currency_id"
    )
    job_cost_eac = fields.Monetary(
        string="Estimate at Completion",
        compute="_compute_job_cost_figures",
        currency_field="currency_id",
    )
    pending_change_cost = fields.Monetary(
        string="Pending CO Cost", compute="_compute_pending_changes", currency_field="currency_id"
    )
    pending_change_price = fields.Monetary(
        string="Pending CO Price", compute="_compute_pending_changes", currency_field="currency_id"
    )
    change_order_count = fields.Integer(compute="_compute_pending_changes")
    date_closed = fields.Date(
        string="Closed On",
        copy=False,
        help="When the job was closed: the WIP schedule leaves it out after that period.",
    )

    def write(self, vals):
        if vals.get("job_status") == "closed" and "date_closed" not in vals:
            vals = dict(vals, date_closed=fields.Date.context_today(self))
        elif vals.get("job_status") and vals["job_status"] != "closed":
            vals = dict(vals, date_closed=False)
        return super().write(vals)

    def _compute_job_cost_figures(self):
        jobs = self.filtered(lambda p: p.is_job and p.id)
        totals = {}
        if jobs:
            groups = (
                self.env["construction.job.cost.report"]
                .sudo()
                ._read_group(
                    [("job_id", "in", jobs.ids)],
                    ["job_id"],
                    [
                        "revised_budget:sum",
                        "committed:sum",
                        "actual:sum",
                        "estimate_at_completion:sum",
                    ],
                )
            )
            totals = {job.id: values for job, *values in groups}
        for project in self:
            budget, committed, actual, eac = totals.get(project.id, (0, 0, 0, 0))
            project.job_cost_budget = budget
            project.job_cost_committed = committed
            project.job_cost_actual = actual
            project.job_cost_eac = eac

    def _compute_pending_changes(self):
        groups = (
            self.env["construction.change.order"]
            .sudo()
            ._read_group(
                [("job_id", "in", self.ids)],
                ["job_id", "state"],
                ["cost_delta:sum", "price_delta:sum", "__count"],
            )
            if self.ids
            else []
        )
        pending, counts = {}, {}
        for job, state, cost, price, count in groups:
            counts[job.id] = counts.get(job.id, 0) + count
            if state in ("draft", "submitted"):
                old_cost, old_price = pending.get(job.id, (0, 0))
                pending[job.id] = (old_cost + cost, old_price + price)
        for project in self:
            project.pending_change_cost, project.pending_change_price = pending.get(
                project.id, (0, 0)
            )
            project.change_order_count = counts.get(project.id, 0)

    def action_view_job_cost(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_job_costing.construction_job_cost_report_action"
        )
        action["domain"] = [("job_id", "=", self.id)]
        action["context"] = {"search_default_group_phase": 1}
        action["display_name"] = _("Job cost: %s", self.display_name)
        return action

    def action_view_budget(self):
        self.ensure_one()
        budget = self.env["construction.budget"]._for_jobs(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "construction.budget",
            "res_id": budget.id,
            "view_mode": "form",
        }

    def action_view_change_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_job_costing.construction_change_order_action"
        )
        action["domain"] = [("job_id", "=", self.id)]
        action["context"] = {"default_job_id": self.id}
        return action

    def action_print_job_cost(self):
        return self.env.ref("construction_job_costing.action_report_job_cost").report_action(self)
