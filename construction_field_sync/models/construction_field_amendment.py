import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionFieldAmendment(models.Model):
    """A change from the field to a record that was already approved.

    Approved records are not silently overwritten: the change waits here,
    with an activity for the approver, who accepts it (the record changes) or
    rejects it (the record stays as approved). A later change from the field
    to the same record supersedes a pending amendment.
    """

    _name = "construction.field.amendment"
    _description = "Field Amendment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    res_model = fields.Char(string="Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", required=True, index=True, readonly=True
    )
    record_name = fields.Char(compute="_compute_name", store=True)
    job_id = fields.Many2one("project.project", string="Job", index=True, readonly=True)
    company_id = fields.Many2one(related="job_id.company_id", store=True)
    kind = fields.Selection(
        [("change", "Change"), ("withdraw", "Withdrawal")],
        required=True,
        default="change",
        readonly=True,
    )
    values = fields.Json(readonly=True, help="ORM values the change writes when accepted.")
    summary = fields.Text(readonly=True, help="The change, as the approver reads it.")
    external_id = fields.Char(string="Field App ID", readonly=True)
    source_id = fields.Many2one("construction.sync.source", readonly=True)
    device = fields.Char(readonly=True)
    occurred_at = fields.Datetime(string="Made At", readonly=True)
    message_id_ref = fields.Many2one(
        "construction.sync.inbound", string="Inbound Message", readonly=True
    )
    state = fields.Selection(
        [
            ("pending", "Waiting for the approver"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
        ],
        default="pending",
        required=True,
        tracking=True,
        index=True,
    )
    approver_id = fields.Many2one("res.users", string="Approver", readonly=True)
    decided_by = fields.Many2one("res.users", readonly=True)
    decided_at = fields.Datetime(readonly=True)
    reason = fields.Text(help="Why the amendment was rejected.")

    @api.depends("res_model", "res_id", "kind")
    def _compute_name(self):
        for amendment in self:
            record = amendment._record()
            amendment.record_name = record.display_name if record else False
            label = dict(self._fields["kind"].selection).get(amendment.kind)
            amendment.name = f"{label}: {amendment.record_name or amendment.external_id or ''}"

    def _record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            return None
        record = self.env[self.res_model].sudo().browse(self.res_id).exists()
        return record or None

    # ------------------------------------------------------------------
    # Proposing (from the handlers)
    # ------------------------------------------------------------------

    @api.model
    def _propose(self, record, values, summary, *, kind="change", message=None, device=None):
        """Hold a change from the field for ``record`` (approved): supersede the
        pending amendment of the same record and schedule an activity for the
        approver. Returns the new amendment."""
        pending = self.sudo().search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "=", "pending"),
            ]
        )
        pending.write({"state": "superseded"})
        pending.activity_unlink(["mail.mail_activity_data_todo"])
        approver = record._field_amendment_approver()
        job = record.job_id if "job_id" in record._fields else self.env["project.project"]
        amendment = self.sudo().create(
            {
                "res_model": record._name,
                "res_id": record.id,
                "job_id": job.id,
                "kind": kind,
                "values": values,
                "summary": summary,
                "external_id": record.field_external_id,
                "source_id": message.source_id.id if message else record.field_source_id.id,
                "device": device,
                "occurred_at": message.occurred_at if message else fields.Datetime.now(),
                "message_id_ref": message.id if message else False,
                "approver_id": approver.id,
            }
        )
        if approver:
            amendment.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=approver.id,
                summary=_("Review a change from the field"),
                note=summary,
            )
        return amendment

    # ------------------------------------------------------------------
    # Deciding
    # ------------------------------------------------------------------

    def _check_can_decide(self):
        user = self.env.user
        controller = user.has_group("construction_base.group_controller")
        for amendment in self:
            if amendment.state != "pending":
                raise UserError(_("Amendment %s was already decided.", amendment.display_name))
            if not controller and amendment.approver_id and amendment.approver_id != user:
                raise UserError(
                    _(
                        "Only %(approver)s, who approved %(record)s, or a controller may "
                        "decide on this amendment.",
                        approver=amendment.approver_id.name,
                        record=amendment.record_name,
                    )
                )

    def action_accept(self):
        self._check_can_decide()
        for amendment in self:
            record = amendment._record()
            if record is None:
                raise UserError(
                    _("The record of amendment %s no longer exists.", amendment.display_name)
                )
            record._field_apply_amendment(amendment)
        self.write(
            {"state": "accepted", "decided_by": self.env.uid, "decided_at": fields.Datetime.now()}
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_reject(self):
        self._check_can_decide()
        self.write(
            {"state": "rejected", "decided_by": self.env.uid, "decided_at": fields.Datetime.now()}
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def _values_text(self):
        return json.dumps(self.values or {}, indent=2, ensure_ascii=False, default=str)
