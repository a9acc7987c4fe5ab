from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain.signing import generate_secret

EVENT_TYPES = (
    "purchase_order.confirmed",
    "purchase_order.changed",
    "purchase_order.cancelled",
    "receipt.validated",
    "vendor_bill.matched",
    "vendor_bill.exception",
    "vendor_bill.posted",
    "vendor_bill.paid",
    "change_order.approved",
    "requisition.approved",
    "requisition.rejected",
    "timesheet.approved",
    "timesheet.rejected",
    "daily_log.approved",
    "vendor.compliance_changed",
)
# How long the previous secret stays valid after a rotation.
ROTATION_GRACE = timedelta(hours=24)


class ConstructionSyncEndpoint(models.Model):
    """A webhook subscription: where to POST which events, signed with which secret."""

    _name = "construction.sync.endpoint"
    _description = "Construction Webhook Endpoint"
    _order = "name"

    name = fields.Char(required=True)
    url = fields.Char(string="URL", required=True)
    # Secrets are readable by administrators only and never listed; the
    # integrator sees a new secret once, in the rotation wizard.
    secret = fields.Char(copy=False, groups="base.group_system")
    previous_secret = fields.Char(copy=False, groups="base.group_system")
    previous_secret_until = fields.Datetime(copy=False, readonly=True)
    event_types = fields.Char(
        help="Event types to deliver, separated by commas; empty for every type.",
    )
    company_id = fields.Many2one(
        "res.company", help="Deliver only this company's events; empty for every company."
    )
    timeout = fields.Integer(default=10, required=True, help="Seconds to wait for an answer.")
    max_attempts = fields.Integer(default=8, required=True)
    active = fields.Boolean(default=True)
    outbound_count = fields.Integer(compute="_compute_outbound_count")

    _sql_constraints = [
        ("timeout_range", "CHECK (timeout > 0 AND timeout <= 60)", "Timeout: 1 to 60 seconds."),
        ("max_attempts_positive", "CHECK (max_attempts > 0)", "Max attempts must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("secret", generate_secret())
        return super().create(vals_list)

    @api.constrains("url")
    def _check_url(self):
        for endpoint in self:
            if not (endpoint.url or "").startswith(("http://", "https://")):
                raise ValidationError(
                    _(
                        "Endpoint %(name)s: URL %(url)s must start with http:// or https://.",
                        name=endpoint.name,
                        url=endpoint.url,
                    )
                )

    @api.constrains("event_types")
    def _check_event_types(self):
        for endpoint in self:
            unknown = [t for t in endpoint._event_type_list() if t not in EVENT_TYPES]
            if unknown:
                raise ValidationError(
                    _(
                        "Endpoint %(name)s: unknown event types %(types)s. Known: %(known)s.",
                        name=endpoint.name,
                        types=", ".join(unknown),
                        known=", ".join(EVENT_TYPES),
                    )
                )

    def _compute_outbound_count(self):
        counts = dict(
            self.env["construction.sync.outbound"]._read_group(
                [("endpoint_id", "in", self.ids)], ["endpoint_id"], ["__count"]
            )
        )
        for endpoint in self:
            endpoint.outbound_count = counts.get(endpoint, 0)

    def _event_type_list(self):
        self.ensure_one()
        return [t.strip() for t in (self.event_types or "").split(",") if t.strip()]

    def _wants(self, event_type, company):
        self.ensure_one()
        types = self._event_type_list()
        return (not types or event_type in types) and (
            not self.company_id or self.company_id == company
        )

    def _valid_secrets(self):
        """The secrets to sign with: the current one first, then the previous one
        while the rotation grace period runs."""
        self.ensure_one()
        endpoint = self.sudo()
        secrets = [endpoint.secret]
        if (
            endpoint.previous_secret
            and endpoint.previous_secret_until
            and (endpoint.previous_secret_until > fields.Datetime.now())
        ):
            secrets.append(endpoint.previous_secret)
        return [secret for secret in secrets if secret]

    def action_rotate_secret(self):
        """New secret, shown once; the old one stays valid for 24 hours."""
        self.ensure_one()
        endpoint = self.sudo()
        new_secret = generate_secret()
        endpoint.write(
            {
                "previous_secret": endpoint.secret,
                "previous_secret_until": fields.Datetime.now() + ROTATION_GRACE,
                "secret": new_secret,
            }
        )
        wizard = self.env["construction.sync.endpoint.secret"].create(
            {"endpoint_id": self.id, "secret": new_secret}
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("New secret of %s", self.name),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_outbound(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_connector.construction_sync_outbound_action"
        )
        action["domain"] = [("endpoint_id", "=", self.id)]
        return action
