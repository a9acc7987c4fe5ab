from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain.coding import JOB_STATUSES, code_problem, normalize_code, percent_problem
from .construction_cost_code import code_problem_message

# Fields of a job that the analytic account mirrors.
ANALYTIC_SYNC_FIELDS = ("name", "job_code", "partner_id", "company_id")


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "construction.unique.code.mixin"]
    _unique_code_field = "job_code"

    job_code = fields.Char(
        index=True,
        copy=False,
        tracking=True,
        help="Business code of the construction job (for example J-1001), unique per "
        "company. External systems refer to the job by it.",
    )
    is_job = fields.Boolean(
        string="Construction Job", compute="_compute_is_job", store=True, index=True
    )
    # A list, not the domain's tuple: Odoo only reflects list selections into
    # ir.model.fields.selection, where the labels for the user's language come from.
    job_status = fields.Selection(
        list(JOB_STATUSES), string="Job Status", default="bid", tracking=True, index=True
    )
    contract_value = fields.Monetary(tracking=True, currency_field="currency_id")
    retention_percent = fields.Float(
        string="Retention %",
        digits=(5, 2),
        default=lambda self: self.env.company.construction_retention_percent,
        tracking=True,
    )
    job_member_ids = fields.Many2many(
        "res.users",
        "construction_job_member_rel",
        "project_id",
        "user_id",
        string="Job Team",
        help="Site supervisors and other members who work on this job. Site supervisors "
        "see only the jobs whose team they are in.",
    )
    phase_ids = fields.One2many("construction.phase", "project_id", string="Phases")
    phase_count = fields.Integer(compute="_compute_phase_count")

    _sql_constraints = [
        (
            "job_code_company_uniq",
            "unique (job_code, company_id)",
            "A job with this code already exists in this company.",
        ),
    ]

    @api.depends("job_code")
    def _compute_is_job(self):
        for project in self:
            project.is_job = bool(project.job_code)

    @api.depends("phase_ids")
    def _compute_phase_count(self):
        counts = dict(
            self.env["construction.phase"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        for project in self:
            project.phase_count = counts.get(project._origin, 0)

    @api.depends("job_code", "name")
    def _compute_display_name(self):
        res = super()._compute_display_name()
        for project in self:
            if project.job_code:
                project.display_name = f"[{project.job_code}] {project.name}"
        return res

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "like", "=like", "=") and value:
            return ["|", ("job_code", operator, value), *domain]
        return domain

    # ------------------------------------------------------------------
    # CRUD: normalise codes and keep the analytic account in sync
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("job_code"):
                vals["job_code"] = normalize_code(vals["job_code"])
                vals.setdefault("company_id", self.env.company.id)
        self._check_unique_code_create(vals_list)
        job_vals = [
            vals for vals in vals_list if vals.get("job_code") and not vals.get("account_id")
        ]
        if job_vals:
            accounts = self.env["account.analytic.account"].create(
                [self._prepare_job_analytic_account_vals(vals) for vals in job_vals]
            )
            for vals, account in zip(job_vals, accounts, strict=True):
                vals["account_id"] = account.id
        projects = super().create(vals_list)
        # Another module may have given the job its account before this create
        # ran (hr_timesheet does, for projects that allow timesheets): align it.
        projects.filtered("job_code")._sync_job_analytic_account()
        return projects

    def write(self, vals):
        if "job_code" in vals:
            vals["job_code"] = normalize_code(vals["job_code"])
        self._check_unique_code_write(vals)
        res = super().write(vals)
        if any(field in vals for field in ANALYTIC_SYNC_FIELDS):
            self._sync_job_analytic_account()
        return res

    def _unique_code_message(self, code, scope, clash):
        if not clash:
            return _(
                "Job code %(code)s appears twice for %(company)s.", code=code, company=scope.name
            )
        return _(
            "Job code %(code)s is already used in %(company)s by %(job)s.",
            code=code,
            company=scope.name,
            job=clash.name,
        )

    @api.model
    def _prepare_job_analytic_account_vals(self, vals):
        project_plan, _other_plans = self.env["account.analytic.plan"]._get_all_plans()
        return {
            "name": vals.get("name") or _("Job %s", vals["job_code"]),
            "code": vals["job_code"],
            "partner_id": vals.get("partner_id", False),
            "company_id": vals.get("company_id", False),
            "plan_id": project_plan.id,
        }

    def _sync_job_analytic_account(self):
        """Create the missing analytic accounts of jobs, align the others."""
        jobs = self.filtered("job_code")
        missing = jobs.filtered(lambda job: not job.account_id)
        if missing:
            accounts = self.env["account.analytic.account"].create(
                [
                    self._prepare_job_analytic_account_vals(
                        {
                            "name": job.name,
                            "job_code": job.job_code,
                            "partner_id": job.partner_id.id,
                            "company_id": job.company_id.id,
                        }
                    )
                    for job in missing
                ]
            )
            for job, account in zip(missing, accounts, strict=True):
                job.account_id = account
        for job in jobs - missing:
            account = job.account_id
            wanted = {
                "name": job.name,
                "code": job.job_code,
                "partner_id": job.partner_id.id,
                "company_id": job.company_id.id,
            }
            changed = {
                key: value
                for key, value in wanted.items()
                if (account[key].id if key.endswith("_id") else account[key]) != value
            }
            if changed:
                account.write(changed)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("job_code", "company_id")
    def _check_job_code(self):
        jobs = self.filtered("job_code")
        if not jobs:
            return
        for job in jobs:
            problem = code_problem(job.job_code)
            if problem:
                raise ValidationError(
                    code_problem_message(self.env, _("Job code"), job.job_code, problem)
                )
            if not job.company_id:
                raise ValidationError(
                    _(
                        "Job %s needs a company: jobs are never shared between companies.",
                        job.job_code,
                    )
                )

    @api.constrains("retention_percent")
    def _check_retention_percent(self):
        for project in self:
            if percent_problem(project.retention_percent):
                raise ValidationError(
                    _(
                        "Job %(job)s: retention %(percent)s%% must be between 0 and 100.",
                        job=project.display_name,
                        percent=project.retention_percent,
                    )
                )

    @api.constrains("contract_value")
    def _check_contract_value(self):
        for project in self:
            if project.contract_value < 0:
                raise ValidationError(
                    _(
                        "Job %(job)s: the contract value cannot be negative (%(value)s).",
                        job=project.display_name,
                        value=project.contract_value,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_phases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_base.construction_phase_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action

    def action_set_job_status(self, status):
        """Move jobs to ``status`` (bid, awarded, in_progress, closed)."""
        if status not in dict(JOB_STATUSES):
            raise ValidationError(_("Unknown job status %s.", status))
        self.write({"job_status": status})
        return True
