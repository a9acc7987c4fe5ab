from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..domain.retention import (
    RELEASE_FINAL_NOT_COMPLETE,
    RELEASE_NOT_POSITIVE,
    RELEASE_OVER_OPEN,
    check_release,
)

SIDES = [("payable", "Payable (subcontract)"), ("receivable", "Receivable (job)")]


class ConstructionRetentionReleaseWizard(models.TransientModel):
    """Release part or all of the open retention.

    Payable: of a subcontract, to a draft vendor bill for its vendor.
    Receivable: of a job, to a draft customer invoice for the job's customer.
    Either document has one positive retention line on the retention account,
    so that posting it moves the amount back from retention to the partner.
    Never more than is open: posted held less posted released less what draft
    releases already take. The release that leaves nothing open is the final
    one; for a subcontract it needs the work marked complete.
    """

    _name = "construction.retention.release.wizard"
    _description = "Release Retention"

    side = fields.Selection(SIDES, required=True, default="payable")
    purchase_order_id = fields.Many2one(
        "purchase.order",
        string="Subcontract",
        domain="[('order_kind', '=', 'subcontract')]",
    )
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        compute="_compute_job_id",
        store=True,
        readonly=False,
        domain="[('is_job', '=', True)]",
    )
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        help="The subcontractor (payable) or the job's customer (receivable).",
    )
    work_complete = fields.Boolean(related="purchase_order_id.construction_complete")
    open_amount = fields.Monetary(
        string="Open", compute="_compute_amounts", help="Posted held less posted released."
    )
    pending_amount = fields.Monetary(
        string="On Draft Releases",
        compute="_compute_amounts",
        help="Released on release documents not yet posted.",
    )
    available_amount = fields.Monetary(string="Available", compute="_compute_amounts")
    release_all = fields.Boolean(
        string="Final release",
        help="Release everything still open (a subcontract's final release needs its work "
        "complete).",
    )
    amount = fields.Monetary(string="Release Amount")
    date = fields.Date(string="Date", required=True, default=fields.Date.context_today)
    note = fields.Char(string="Description")

    @api.depends("purchase_order_id")
    def _compute_job_id(self):
        for wizard in self:
            wizard.job_id = wizard.purchase_order_id.job_id or wizard.job_id

    @api.depends("purchase_order_id", "job_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = (
                wizard.purchase_order_id.company_id or wizard.job_id.company_id or self.env.company
            )

    @api.depends("side", "purchase_order_id", "job_id")
    def _compute_partner_id(self):
        for wizard in self:
            if wizard.side == "payable":
                wizard.partner_id = wizard.purchase_order_id.partner_id
            else:
                wizard.partner_id = wizard.job_id.partner_id

    @api.depends("side", "purchase_order_id", "job_id")
    def _compute_amounts(self):
        for wizard in self:
            open_amount, pending = wizard._retention_figures()
            wizard.open_amount = open_amount
            wizard.pending_amount = pending
            wizard.available_amount = wizard.currency_id.round(open_amount - pending)

    @api.onchange("release_all", "side", "purchase_order_id", "job_id")
    def _onchange_release_all(self):
        if self.release_all:
            self.amount = self.available_amount

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _retention_key(self):
        """The ledger field and the record whose retention is released."""
        self.ensure_one()
        if self.side == "payable":
            return "order_id", self.purchase_order_id
        return "job_id", self.job_id

    def _retention_figures(self):
        """(open on posted lines, taken by draft releases) in company currency."""
        self.ensure_one()
        field_name, record = self._retention_key()
        if not record.id:
            return 0.0, 0.0
        open_amount = (
            self.env["construction.retention.ledger"]
            ._open_by(self.side, field_name, record)
            .get(record, 0.0)
        )
        kind = "%s_released" % self.side
        line_field = "construction_retention_order_id" if self.side == "payable" else "job_id"
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("construction_retention_kind", "=", kind),
                    (line_field, "=", record.id),
                    ("parent_state", "=", "draft"),
                ],
                [],
                ["balance:sum"],
            )
        )
        balance = groups[0][0] if groups else 0.0
        pending = balance if self.side == "payable" else -balance
        return open_amount, pending

    # ------------------------------------------------------------------
    # Opening and releasing
    # ------------------------------------------------------------------

    @api.model
    def _open_for(self, record):
        """The wizard's action for a subcontract (payable) or a job (receivable)."""
        if record._name == "purchase.order":
            if record.order_kind != "subcontract":
                raise UserError(_("%s is no subcontract: it holds no retention.", record.name))
            context = {"default_side": "payable", "default_purchase_order_id": record.id}
        else:
            context = {"default_side": "receivable", "default_job_id": record.id}
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Retention"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _check_rights(self):
        group = (
            "construction_base.group_accounts_payable"
            if self.side == "payable"
            else "account.group_account_invoice"
        )
        if not (
            self.env.user.has_group(group)
            or self.env.user.has_group("construction_base.group_controller")
        ):
            raise AccessError(
                _(
                    "Releasing %(side)s retention is for %(group)s users.",
                    side=dict(SIDES)[self.side],
                    group=self.env.ref(group).sudo().full_name,
                )
            )

    def _lock(self):
        """Serialise releases of the same subcontract or job: the second one waits
        and then sees the first one's draft."""
        _field, record = self._retention_key()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR UPDATE",
                SQL.identifier(record._table),
                record.id,
            )
        )

    def action_release(self):
        self.ensure_one()
        self._check_rights()
        field_name, record = self._retention_key()
        if not record:
            raise UserError(
                _("Choose the subcontract whose retention is released.")
                if self.side == "payable"
                else _("Choose the job whose retention is released.")
            )
        self._lock()
        company = self.company_id
        currency = company.currency_id
        open_amount, pending = self._retention_figures()
        complete = self.side != "payable" or record.construction_complete
        amount = self.amount
        if self.release_all:
            amount = currency.round(open_amount - pending)
        check = check_release(amount, open_amount, pending, currency.decimal_places, complete)
        figures = {
            "amount": currency.format(float(check.amount)),
            "available": currency.format(float(check.available)),
            "open": currency.format(open_amount),
            "pending": currency.format(pending),
            "what": record.display_name,
        }
        if check.problem == RELEASE_NOT_POSITIVE:
            raise UserError(
                _(
                    "Release amount %(amount)s: enter an amount above zero; %(available)s "
                    "of retention is open on %(what)s.",
                    **figures,
                )
            )
        if check.problem == RELEASE_OVER_OPEN:
            raise UserError(
                _(
                    "Releasing %(amount)s is more than the %(available)s of retention open "
                    "on %(what)s (%(open)s held and not released, %(pending)s of it on draft "
                    "releases).",
                    **figures,
                )
            )
        if check.problem == RELEASE_FINAL_NOT_COMPLETE:
            raise UserError(
                _(
                    "Releasing %(amount)s releases all the retention open on %(what)s: "
                    "the final release needs the subcontract marked Work complete.",
                    **figures,
                )
            )
        move = self._create_release_move(float(check.amount), record, check.final)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
        }

    def _prepare_release_move(self, amount, record, final):
        """Values of the draft bill or invoice that releases ``amount``."""
        self.ensure_one()
        company = self.company_id
        if self.side == "payable":
            account = company.construction_retention_payable_account_id
            setting = _("Payable")
        else:
            account = company.construction_retention_receivable_account_id
            setting = _("Receivable")
        if not account:
            raise UserError(
                _(
                    "Company %(company)s has no retention %(side)s account. Set the Retention "
                    "Accounts (%(side)s) in Settings > Construction > Retention.",
                    company=company.name,
                    side=setting,
                )
            )
        if not self.partner_id:
            raise UserError(
                _(
                    "%s has no partner to release its retention to: set the job's customer.",
                    record.display_name,
                )
            )
        name = self.note or (
            _("Final retention release, %s", record.display_name)
            if final
            else _("Retention release, %s", record.display_name)
        )
        order = self.purchase_order_id if self.side == "payable" else None
        line = self.env["account.move.line"]._construction_retention_line_vals(
            "%s_released" % self.side, amount, account, name, job=self.job_id, order=order
        )
        return {
            "move_type": "in_invoice" if self.side == "payable" else "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "invoice_date": self.date,
            "date": self.date,
            "invoice_origin": record.name if order else record.display_name,
            "invoice_line_ids": [Command.create(line)],
        }

    def _create_release_move(self, amount, record, final):
        vals = self._prepare_release_move(amount, record, final)
        return self.env["account.move"].with_company(self.company_id).create(vals)
