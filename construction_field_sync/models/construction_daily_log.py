from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain.daily_log import log_name, temperature_problem

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("cancelled", "Withdrawn"),
]
# Fields a user may still change on an approved log: the chatter and activities.
_FREE_PREFIXES = ("message_", "activity_", "website_message_", "rating_")
MANAGER_GROUPS = "construction_base.group_project_manager,construction_base.group_controller"


class ConstructionDailyLog(models.Model):
    """The daily report of one job, day and author.

    A site supervisor fills it on the phone (weather, manpower, work
    performed, deliveries, visitors, delays, incidents, notes, photos) and
    submits it; the job's project manager (or a construction project manager
    or controller) approves it, which makes it read-only and tells the field
    app (event ``daily_log.approved``). Logs sent by a field app
    (``field.daily_log``) arrive submitted: the app sends a day once its
    author is done with it; newer versions from the app keep updating it
    until it is approved, and change it afterwards only through an amendment
    the approver accepts.
    """

    _name = "construction.daily.log"
    _description = "Daily Log"
    _inherit = ["mail.thread", "mail.activity.mixin", "construction.field.record"]
    _order = "date desc, job_id, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_job', '=', True), ('job_status', '!=', 'closed')]",
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, string="Company"
    )
    date = fields.Date(required=True, index=True, tracking=True, default=fields.Date.context_today)
    author_id = fields.Many2one(
        "res.users",
        string="Author",
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain="['|', ('id', 'in', job_member_ids), ('id', '=', job_manager_id)]",
        help="Who wrote the log; a member of the job's team. Logs from a field app that "
        "does not name its author have none.",
    )
    job_member_ids = fields.Many2many(related="job_id.job_member_ids", string="Job Team")
    job_manager_id = fields.Many2one(related="job_id.user_id", string="Project Manager")
    state = fields.Selection(
        STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    submitted_by = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_at = fields.Datetime(readonly=True, copy=False)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_at = fields.Datetime(readonly=True, copy=False)
    user_can_approve = fields.Boolean(compute="_compute_user_can_approve")

    # Weather
    weather_conditions = fields.Char(string="Conditions", help="For example: sunny, rain, snow.")
    temperature_low = fields.Float(string="Low", digits=(5, 1))
    temperature_high = fields.Float(string="High", digits=(5, 1))
    precipitation = fields.Char()
    wind = fields.Char()
    weather_delay_hours = fields.Float(
        string="Weather Delay (h)", digits=(5, 2), help="Hours of work lost to the weather."
    )

    # The day
    manpower_ids = fields.One2many(
        "construction.daily.log.manpower", "log_id", string="Manpower", copy=True
    )
    manpower_headcount = fields.Integer(
        string="Headcount", compute="_compute_manpower_totals", store=True
    )
    manpower_hours = fields.Float(
        string="Man-Hours", digits=(12, 2), compute="_compute_manpower_totals", store=True
    )
    work_performed = fields.Text()
    deliveries = fields.Text()
    visitors = fields.Text()
    delays = fields.Text()
    notes = fields.Text()
    incident_ids = fields.One2many(
        "construction.daily.log.incident", "log_id", string="Incidents", copy=True
    )
    incident_count = fields.Integer(compute="_compute_incident_count", store=True)
    photo_ids = fields.Many2many(
        "ir.attachment",
        "construction_daily_log_photo_rel",
        "log_id",
        "attachment_id",
        string="Photos",
        copy=False,
        help="Photos of the day; they are also attachments of the log.",
    )
    photo_count = fields.Integer(compute="_compute_photo_count")

    _sql_constraints = [
        (
            "job_date_author_uniq",
            "UNIQUE (job_id, date, author_id)",
            "This author already has a daily log for this job and date.",
        ),
        (
            "weather_delay_range",
            "CHECK (weather_delay_hours IS NULL"
            " OR (weather_delay_hours >= 0 AND weather_delay_hours <= 24))",
            "The weather delay is between 0 and 24 hours.",
        ),
    ]

    # The version a revision keeps when a newer change from the field overwrites it.
    _field_versioned_fields = (
        "job_id",
        "date",
        "author_id",
        "state",
        "weather_conditions",
        "temperature_low",
        "temperature_high",
        "precipitation",
        "wind",
        "weather_delay_hours",
        "manpower_ids",
        "work_performed",
        "deliveries",
        "visitors",
        "delays",
        "notes",
        "incident_ids",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("job_id.job_code", "date", "author_id.name")
    def _compute_name(self):
        for log in self:
            log.name = log_name(log.job_id.job_code, log.date, log.author_id.name)

    @api.depends("manpower_ids.headcount", "manpower_ids.total_hours")
    def _compute_manpower_totals(self):
        for log in self:
            log.manpower_headcount = sum(log.manpower_ids.mapped("headcount"))
            log.manpower_hours = sum(log.manpower_ids.mapped("total_hours"))

    @api.depends("incident_ids")
    def _compute_incident_count(self):
        for log in self:
            log.incident_count = len(log.incident_ids)

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        for log in self:
            log.photo_count = len(log.photo_ids)

    @api.depends_context("uid")
    @api.depends("state", "job_id.user_id")
    def _compute_user_can_approve(self):
        for log in self:
            log.user_can_approve = log.state == "submitted" and log._can_approve(self.env.user)

    @api.model
    def _author_problem(self, job, author):
        """Why ``author`` may not write a log of ``job``, or None.

        The author is a member of the job's team or its project manager; a
        construction project manager or controller may write the log of any
        job of their companies.
        """
        if not author or not job:
            return None
        job, author = job.sudo(), author.sudo()
        if author in job.job_member_ids or author == job.user_id:
            return None
        if author.has_groups(MANAGER_GROUPS):
            return None
        return _(
            "%(author)s is not a member of the team of job %(job)s: add them to the job "
            "team, or choose another author.",
            author=author.name,
            job=job.display_name,
        )

    @api.constrains("job_id", "author_id")
    def _check_author_member(self):
        for log in self:
            problem = self._author_problem(log.job_id, log.author_id)
            if problem:
                raise ValidationError(problem)

    @api.constrains("temperature_low", "temperature_high")
    def _check_temperatures(self):
        for log in self:
            if temperature_problem(log.temperature_low, log.temperature_high):
                raise ValidationError(
                    _(
                        "Daily log %(log)s: the low temperature %(low)s is above the high "
                        "temperature %(high)s.",
                        log=log.display_name,
                        low=log.temperature_low,
                        high=log.temperature_high,
                    )
                )

    @api.constrains("job_id")
    def _check_job(self):
        for log in self:
            if not log.job_id.is_job:
                raise ValidationError(
                    _(
                        "%(project)s is not a construction job (it has no job code).",
                        project=log.job_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        jobs = self.env["project.project"].browse(
            {vals["job_id"] for vals in vals_list if vals.get("job_id")}
        )
        closed = jobs.sudo().filtered(lambda job: job.job_status == "closed")
        if closed:
            raise UserError(
                _(
                    "Job %(job)s is closed and takes no new daily logs.",
                    job=closed[0].display_name,
                )
            )
        logs = super().create(vals_list)
        logs._daily_log_adopt_photos()
        return logs

    def write(self, vals):
        if not self.env.context.get("construction_field_amendment"):
            locked = self.filtered(lambda log: log.state == "approved")
            blocked = [name for name in vals if not name.startswith(_FREE_PREFIXES)]
            if locked and blocked:
                raise UserError(
                    _(
                        "Daily log %(log)s is approved and can no longer be changed. A change "
                        "from the field becomes an amendment that the approver accepts.",
                        log=locked[0].display_name,
                    )
                )
        result = super().write(vals)
        if "photo_ids" in vals:
            self._daily_log_adopt_photos()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for log in self:
            if log.state != "draft":
                raise UserError(
                    _(
                        "Daily log %(log)s is %(state)s: only draft logs can be deleted.",
                        log=log.display_name,
                        state=dict(STATES)[log.state],
                    )
                )

    def _daily_log_adopt_photos(self):
        """Make the photos uploaded on the form (not yet attached to a record)
        attachments of their log, so that they show in its chatter and follow
        its access rules. Attachments of other records are left alone."""
        for log in self:
            orphans = log.photo_ids.sudo().filtered(
                lambda a: not a.res_id and a.res_model in (False, self._name)
            )
            if orphans:
                orphans.write({"res_model": self._name, "res_id": log.id})

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _can_submit(self, user):
        self.ensure_one()
        job = self.job_id.sudo()
        return (
            user == self.author_id
            or user in job.job_member_ids
            or user == job.user_id
            or user.has_groups(MANAGER_GROUPS)
        )

    def _can_approve(self, user):
        self.ensure_one()
        return user == self.job_id.sudo().user_id or user.has_groups(MANAGER_GROUPS)

    def action_submit(self):
        for log in self:
            if log.state != "draft":
                raise UserError(_("Daily log %(log)s is not a draft.", log=log.display_name))
            if not log._can_submit(self.env.user):
                raise UserError(
                    _(
                        "Only the author, a member of the team of job %(job)s or a project "
                        "manager may submit daily log %(log)s.",
                        job=log.job_id.display_name,
                        log=log.display_name,
                    )
                )
        self.write(
            {
                "state": "submitted",
                "submitted_by": self.env.uid,
                "submitted_at": fields.Datetime.now(),
            }
        )
        self._schedule_approval()
        return True

    def _schedule_approval(self, notify=True):
        """An activity for the job's project manager to approve each log; one
        create for all of them. Without ``notify`` (a batch from a field app)
        the manager is not sent one email per log: the activities show in
        their activity menu."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        logs = self.sudo().filtered(lambda log: log.job_id.user_id)
        if not todo or not logs:
            return
        model = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=not notify).create(
            [
                {
                    "res_model_id": model,
                    "res_id": log.id,
                    "activity_type_id": todo.id,
                    "user_id": log.job_id.user_id.id,
                    "summary": self.env._("Approve the daily log"),
                    "date_deadline": today,
                    "automated": True,
                }
                for log in logs
            ]
        )

    def action_approve(self):
        user = self.env.user
        for log in self:
            if log.state != "submitted":
                raise UserError(
                    _(
                        "Daily log %(log)s must be submitted before it is approved.",
                        log=log.display_name,
                    )
                )
            if not log._can_approve(user):
                raise UserError(
                    _(
                        "Only the project manager of job %(job)s, a construction project "
                        "manager or a controller may approve daily log %(log)s.",
                        job=log.job_id.display_name,
                        log=log.display_name,
                    )
                )
        self.write(
            {"state": "approved", "approved_by": user.id, "approved_at": fields.Datetime.now()}
        )
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Approved"))
        self._emit_approved()
        return True

    def action_reset_draft(self):
        """Back to draft, to correct a submitted log or revive a withdrawn one."""
        for log in self:
            if log.state not in ("submitted", "cancelled"):
                raise UserError(
                    _(
                        "Daily log %(log)s is approved or already a draft.",
                        log=log.display_name,
                    )
                )
            if not log._can_submit(self.env.user):
                raise UserError(
                    _(
                        "Only the author, a member of the team of job %(job)s or a project "
                        "manager may reopen daily log %(log)s.",
                        job=log.job_id.display_name,
                        log=log.display_name,
                    )
                )
        self.write({"state": "draft"})
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def _emit_approved(self):
        data = {
            log.id: {
                "daily_log": log.name,
                "external_id": log.field_external_id or None,
                "job": log.job_id.job_code,
                "date": fields.Date.to_string(log.date),
                "author": log.author_id.login or None,
                "author_name": log.author_id.name or None,
                "approved_by": log.approved_by.login,
                "approved_at": log.approved_at.isoformat() + "Z",
                "manpower_headcount": log.manpower_headcount,
                "manpower_hours": log.manpower_hours,
                "incidents": log.incident_count,
            }
            for log in self
        }
        self.env["construction.sync.outbound"].emit("daily_log.approved", self, data)

    # ------------------------------------------------------------------
    # Field records
    # ------------------------------------------------------------------

    def _field_snapshot(self):
        """The version as a person reads it: manpower and incidents in full."""
        values = super()._field_snapshot()
        values["manpower_ids"] = [line._snapshot() for line in self.manpower_ids]
        values["incident_ids"] = [incident._snapshot() for incident in self.incident_ids]
        return values

    def _field_apply_amendment(self, amendment):
        result = super()._field_apply_amendment(amendment)
        if amendment.kind != "withdraw":
            self._daily_log_adopt_photos()
        return result

    def _field_withdraw(self, occurred_at):
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return super()._field_withdraw(occurred_at)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_open_photos(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Photos of %(log)s", log=self.display_name),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "views": [
                (
                    self.env.ref(
                        "construction_field_sync.construction_daily_log_photo_view_kanban"
                    ).id,
                    "kanban",
                ),
                (False, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", self.photo_ids.ids)],
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "create": False,
            },
        }

    def action_add_manpower_from_yesterday(self):
        """Copy the manpower of the author's previous log of the job: most
        days the same crews are on site."""
        self.ensure_one()
        previous = self.search(
            [
                ("job_id", "=", self.job_id.id),
                ("author_id", "=", self.author_id.id),
                ("date", "<", self.date),
                ("manpower_ids", "!=", False),
            ],
            order="date desc",
            limit=1,
        )
        if not previous:
            raise UserError(
                _("There is no earlier daily log of this job and author with manpower.")
            )
        self.write(
            {
                "manpower_ids": [
                    Command.create(line._copy_values()) for line in previous.manpower_ids
                ]
            }
        )
        return True
