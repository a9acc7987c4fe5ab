from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    """Retention of a subcontract: what its bills withheld and is still open, and
    whether its work is complete (the final release needs it)."""

    _inherit = "purchase.order"

    construction_complete = fields.Boolean(
        string="Work complete",
        copy=False,
        tracking=True,
        help="The subcontract's work is complete and accepted: its final retention "
        "release may be made.",
    )
    construction_retention_open = fields.Monetary(
        string="Open Retention",
        compute="_compute_construction_retention_open",
        currency_field="company_currency_id",
        help="Retention withheld on the posted bills of this subcontract and not yet "
        "released (company currency).",
    )

    def _compute_construction_retention_open(self):
        subcontracts = self.filtered(lambda o: o.order_kind == "subcontract")
        amounts = self.env["construction.retention.ledger"]._open_by(
            "payable", "order_id", subcontracts
        )
        for order in self:
            order.construction_retention_open = amounts.get(order, 0.0)

    def action_construction_mark_complete(self):
        not_subcontracts = self.filtered(lambda o: o.order_kind != "subcontract")
        if not_subcontracts:
            raise UserError(
                _(
                    "%(orders)s: only subcontracts are marked complete.",
                    orders=", ".join(not_subcontracts.mapped("name")),
                )
            )
        self.write({"construction_complete": True})
        return True

    def action_construction_reopen(self):
        self.write({"construction_complete": False})
        return True

    def action_view_retention(self):
        self.ensure_one()
        return self.env["construction.retention.ledger"]._action_for(
            [("order_id", "=", self.id)],
            _("Retention: %s", self.name),
            {"search_default_payable": 1},
        )

    def action_open_retention_release(self):
        self.ensure_one()
        return self.env["construction.retention.release.wizard"]._open_for(self)

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------

    @api.model
    def _construction_load_retention_demo(self):
        """Retention held and partly released on the Oak Valley drywall subcontract.

        The company gets its retention accounts; the project manager reports
        the rest of the framing done; Andy (accounts payable) posts two bills
        of Bayside Drywall (16,000 and 32,000 of framing), each withholding
        10 %, and releases 1,500 of it at the halfway point, as the
        subcontract allows.
        """
        ref = self.env.ref
        order = ref("construction_procurement.demo_sc_oak_drywall", raise_if_not_found=False)
        framing = ref(
            "construction_procurement.demo_scl_oak_drywall_framing", raise_if_not_found=False
        )
        ap_user = ref("construction_base.demo_user_ap", raise_if_not_found=False)
        if not order or not framing or not ap_user or order.state != "purchase":
            return self.env["account.move"]
        company = order.company_id
        self._construction_demo_retention_accounts(company)
        today = fields.Date.context_today(self)
        self.env["construction.progress.receipt"].create(
            {
                "purchase_line_id": framing.id,
                "date": today - relativedelta(days=10),
                "quantity": 0.75,
                "received_by": ref("construction_base.demo_user_pm").id,
                "note": "Framing of classrooms 105-118 complete: framing done.",
            }
        )
        Move = self.env["account.move"].with_user(ap_user).with_company(company)

        def bill(quantity, days_ago, number):
            values = framing._prepare_account_move_line()
            values.pop("display_type", None)
            values.update(quantity=quantity, price_unit=framing.price_unit)
            date = today - relativedelta(days=days_ago)
            return Move.create(
                {
                    "move_type": "in_invoice",
                    "partner_id": order.partner_id.id,
                    "ref": number,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [Command.create(values)],
                }
            )

        bills = bill(0.25, 9, "BD-2207") | bill(0.5, 2, "BD-2231")
        bills.action_post()
        wizard = (
            self.env["construction.retention.release.wizard"]
            .with_user(ap_user)
            .with_context(default_side="payable", default_purchase_order_id=order.id)
            .create(
                {
                    "amount": 1500,
                    "date": today,
                    "note": "Retention reduced at 50% complete (subcontract art. 7)",
                }
            )
        )
        release = Move.browse(wizard.action_release()["res_id"])
        release.action_post()
        return bills | release

    @api.model
    def _construction_demo_retention_accounts(self, company):
        """The demo company's retention accounts, created when it has none."""
        Account = self.env["account.account"].with_company(company)
        values = {}
        for field_name, code, name, account_type in (
            (
                "construction_retention_payable_account_id",
                "219100",
                "Retention Payable",
                "liability_current",
            ),
            (
                "construction_retention_receivable_account_id",
                "129100",
                "Retention Receivable",
                "asset_current",
            ),
        ):
            if company[field_name]:
                continue
            account = Account.search(
                [("code", "=", code), ("company_ids", "in", company.ids)], limit=1
            ) or Account.create({"code": code, "name": name, "account_type": account_type})
            values[field_name] = account.id
        if values:
            company.write(values)
