from odoo import _, api, fields, models

from ..domain.earned import earned_budget, percent_complete


class ConstructionBudgetLine(models.Model):
    """Progress of a budget line from the quantities installed in the field.

    The installed quantities of a line are those of its job, phase and cost
    code (not withdrawn): a draft budget replaced by a new import keeps
    them. Percent complete by units and earned budget need a budget
    quantity; without one they are 0 here (the report leaves them empty).
    """

    _inherit = "construction.budget.line"

    installed_quantity = fields.Float(
        string="Installed to Date",
        digits="Product Unit of Measure",
        compute="_compute_installed",
        compute_sudo=True,
        help="Sum of the quantities installed on this job, phase and cost code (not withdrawn).",
    )
    percent_complete_units = fields.Float(
        string="% Complete (Units)",
        compute="_compute_installed",
        compute_sudo=True,
        aggregator=None,
        help="Installed to date / budget quantity x 100.",
    )
    earned_amount = fields.Monetary(
        string="Earned Budget",
        compute="_compute_installed",
        compute_sudo=True,
        help="Revised budget x installed to date / budget quantity.",
    )

    @api.model
    def _of_keys(self, keys):
        """{(job id, phase id or False, cost code id): budget line}, one search."""
        keys = {key for key in keys if key[0] and key[2]}
        if not keys:
            return {}
        lines = self.search(
            [
                ("job_id", "in", list({key[0] for key in keys})),
                ("cost_code_id", "in", list({key[2] for key in keys})),
            ]
        )
        return {line._key(): line for line in lines if line._key() in keys}

    @api.model
    def _installed_by_key(self, jobs, as_of=None):
        """{(job id, phase id or False, cost code id): quantity installed}, one query."""
        domain = [("job_id", "in", jobs.ids), ("state", "=", "recorded")]
        if as_of:
            domain.append(("date", "<=", as_of))
        groups = (
            self.env["construction.installed.quantity"]
            .sudo()
            ._read_group(domain, ["job_id", "phase_id", "cost_code_id"], ["quantity:sum"])
        )
        return {
            (job.id, phase.id or False, code.id): quantity for job, phase, code, quantity in groups
        }

    @api.depends("quantity", "revised_amount", "job_id", "phase_id", "cost_code_id")
    def _compute_installed(self):
        installed = self._installed_by_key(self.job_id) if self.job_id else {}
        for line in self:
            quantity = installed.get(line._key(), 0.0) if line.id else 0.0
            line.installed_quantity = quantity
            line.percent_complete_units = float(
                percent_complete(quantity, line.quantity, rounding=None) or 0
            )
            line.earned_amount = float(
                earned_budget(line.revised_amount, quantity, line.quantity, rounding=None) or 0
            )

    def action_open_installed_quantities(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Installed on %s", self.display_name),
            "res_model": "construction.installed.quantity",
            "view_mode": "list,form",
            "domain": [
                ("job_id", "=", self.job_id.id),
                ("phase_id", "=", self.phase_id.id),
                ("cost_code_id", "=", self.cost_code_id.id),
            ],
            "context": {
                "default_job_id": self.job_id.id,
                "default_phase_id": self.phase_id.id,
                "default_cost_code_id": self.cost_code_id.id,
                "default_uom_id": self.uom_id.id,
            },
        }
