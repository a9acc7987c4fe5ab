from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    job_id = fields.Many2one(
        "project.project",
        string="Job",
        index="btree_not_null",
        check_company=True,
        domain="[('is_job', '=', True), ('job_status', '!=', 'closed')]",
        help="Default job of new lines; a PO for a job needs a cost code on every line.",
    )
    order_kind = fields.Selection(
        [("material", "Material Order"), ("subcontract", "Subcontract")],
        string="Kind",
        default="material",
        required=True,
    )
    retention_percent = fields.Float(
        string="Retention %",
        digits=(5, 2),
        help="Withheld from each bill of this subcontract until released.",
    )
    external_id = fields.Char(copy=False, index="btree_not_null")
    vendor_ack_date = fields.Datetime(string="Acknowledged On", copy=False, readonly=True)
    vendor_promised_date = fields.Date(string="Promised Date", copy=False)
    committed_amount = fields.Monetary(compute="_compute_commitment", store=True)
    received_amount = fields.Monetary(compute="_compute_commitment", store=True)
    billed_amount = fields.Monetary(compute="_compute_commitment", store=True)
    open_commitment = fields.Monetary(compute="_compute_commitment", store=True)
    commitment_change_ids = fields.One2many("construction.commitment.change", "purchase_order_id")
    commitment_change_count = fields.Integer(compute="_compute_commitment_change_count")

    @api.depends(
        "order_line.committed_amount",
        "order_line.received_amount",
        "order_line.billed_amount",
        "order_line.open_commitment",
    )
    def _compute_commitment(self):
        for order in self:
            lines = order.order_line
            order.committed_amount = sum(lines.mapped("committed_amount"))
            order.received_amount = sum(lines.mapped("received_amount"))
            order.billed_amount = sum(lines.mapped("billed_amount"))
            order.open_commitment = sum(lines.mapped("open_commitment"))

    def _compute_commitment_change_count(self):
        # A count, not the records: every purchase user may see it.
        counts = dict(
            self.env["construction.commitment.change"]
            .sudo()
            ._read_group(
                [("purchase_order_id", "in", self.ids)], ["purchase_order_id"], ["__count"]
            )
        )
        for order in self:
            order.commitment_change_count = counts.get(order, 0)

    @api.onchange("job_id")
    def _onchange_job_id_retention(self):
        if self.job_id and self.order_kind == "subcontract" and not self.retention_percent:
            self.retention_percent = self.job_id.retention_percent

    @api.onchange("order_kind")
    def _onchange_order_kind(self):
        if self.order_kind == "subcontract" and not self.retention_percent and self.job_id:
            self.retention_percent = self.job_id.retention_percent

    @api.constrains("retention_percent", "order_kind")
    def _check_retention(self):
        for order in self:
            if not 0 <= order.retention_percent <= 100:
                raise ValidationError(
                    _(
                        "%(order)s: retention %(percent)s%% must be between 0 and 100.",
                        order=order.name,
                        percent=order.retention_percent,
                    )
                )
            if order.order_kind != "subcontract" and order.retention_percent:
                raise ValidationError(_("%s: only subcontracts withhold retention.", order.name))

    def _is_job_order(self):
        self.ensure_one()
        return bool(self.job_id or self.order_line.filtered("job_id"))

    def _check_job_coding(self):
        """A PO for a job needs job, phase-consistent coding and a cost code on every line."""
        for order in self.filtered(lambda o: o._is_job_order()):
            for line in order.order_line.filtered(lambda pl: not pl.display_type):
                if not line.job_id or not line.cost_code_id:
                    raise ValidationError(
                        _(
                            "%(order)s, line %(line)s: a purchase order for a job needs a job "
                            "and a cost code on every line.",
                            order=order.name,
                            line=line.name,
                        )
                    )

    def button_confirm(self):
        self._check_job_coding()
        # Odoo calls this on orders already confirmed too (adding bill lines to a
        # PO): only those it confirms now get the event.
        pending = self.filtered(lambda o: o.state not in ("purchase", "done"))
        result = super().button_confirm()
        confirmed = pending.filtered(lambda o: o.state in ("purchase", "done"))
        confirmed._emit_order_event("purchase_order.confirmed")
        return result

    def button_cancel(self):
        result = super().button_cancel()
        cancelled = self.filtered(lambda o: o.state == "cancel")
        cancelled._emit_order_event("purchase_order.cancelled")
        cancelled.order_line.requisition_line_id.requisition_id._sync_order_state()
        return result

    def _event_data(self):
        self.ensure_one()
        return {
            "purchase_order": self.name,
            "external_id": self.external_id or None,
            "vendor": self.partner_id.name,
            "kind": self.order_kind,
            "job": self.job_id.job_code or None,
            "currency": self.currency_id.name,
            "amount_untaxed": self.amount_untaxed,
            "lines": [
                {
                    "sequence": line.sequence,
                    "product": line.product_id.default_code or None,
                    "description": line.name,
                    "quantity": line.product_qty,
                    "price_unit": line.price_unit,
                    "job": line.job_id.job_code or None,
                    "phase": line.phase_id.code or None,
                    "cost_code": line.cost_code_id.code or None,
                }
                for line in self.order_line.filtered(lambda pl: not pl.display_type)
            ],
        }

    def _emit_order_event(self, event_type):
        """Events of job orders only: a plain PO stays plain Odoo (building the
        event data reads its prices, which would recompute them early)."""
        self = self.filtered(lambda order: order._is_job_order())
        if self:
            self.env["construction.sync.outbound"].emit(
                event_type, self, {order.id: order._event_data() for order in self}
            )

    def _record_vendor_ack(self, vendor_reference=None, promised_date=None):
        vals = {"vendor_ack_date": fields.Datetime.now()}
        if vendor_reference:
            vals["partner_ref"] = vendor_reference
        if promised_date:
            vals["vendor_promised_date"] = promised_date
        self.write(vals)
        for order in self:
            order.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=_("Acknowledged by the vendor")
            )
            order.message_post(
                body=_(
                    "Acknowledged by the vendor (reference %(ref)s, promised %(date)s).",
                    ref=vendor_reference or "-",
                    date=promised_date or "-",
                )
            )

    @api.model
    def _cron_vendor_ack_reminders(self):
        """An activity for the buyer of each confirmed PO still unacknowledged
        after the company's number of days (once per PO)."""
        now = fields.Datetime.now()
        todo = self.env.ref("mail.mail_activity_data_todo")
        for company in self.env["res.company"].search([("active", "=", True)]):
            limit = now - timedelta(days=company.construction_vendor_ack_days or 3)
            orders = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "purchase"),
                    ("vendor_ack_date", "=", False),
                    ("date_approve", "<", limit),
                    "!",
                    ("activity_ids.activity_type_id", "=", todo.id),
                ]
            )
            for order in orders:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=(order.user_id or self.env.user).id,
                    summary=_("No acknowledgement from %s", order.partner_id.name),
                    note=_(
                        "%(order)s was confirmed on %(date)s and the vendor has not "
                        "acknowledged it.",
                        order=order.name,
                        date=order.date_approve,
                    ),
                )
        return True

    def action_view_commitment_changes(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Orders"),
            "res_model": "construction.commitment.change",
            "view_mode": "list,form",
            "domain": [("purchase_order_id", "=", self.id)],
            "context": {"default_purchase_order_id": self.id},
        }
