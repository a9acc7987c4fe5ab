import dataclasses
from collections import defaultdict

from odoo import Command, _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..domain.retention import as_decimal, retention_amount, retention_changes

# Set while the retention lines themselves are written: no second sync.
SYNC_CONTEXT_KEY = "construction_retention_sync"
RELEASE_KINDS = ("payable_released", "receivable_released")


class AccountMove(models.Model):
    """Retention on subcontract bills, and the checks of retention releases.

    A draft vendor bill with lines of a subcontract that withholds retention
    carries one *held* retention line per subcontract (kind payable_held):
    ``retention_percent`` of the untaxed work billed on that subcontract's
    lines, as a negative line on the company's retention payable account, so
    the payable to the vendor is net of retention. The line follows the bill
    while it is draft (create, every change of its lines, *Match*, *Post*).
    The match of construction_ap_match leaves these lines out: they are no
    price, quantity, total or "no PO" variance.
    """

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Keeping the held retention line up to date
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        if not self.env.context.get(SYNC_CONTEXT_KEY):
            moves._construction_sync_retention()
        return moves

    def write(self, vals):
        result = super().write(vals)
        if ("invoice_line_ids" in vals or "line_ids" in vals) and not self.env.context.get(
            SYNC_CONTEXT_KEY
        ):
            self._construction_sync_retention()
        return result

    def _construction_retention_work(self):
        """{subcontract: untaxed amount billed on its lines} of this bill, for the
        subcontracts that withhold retention."""
        self.ensure_one()
        billed = defaultdict(lambda: as_decimal(0))
        for line in self.invoice_line_ids:
            order = line.purchase_line_id.order_id
            if (
                line.display_type == "product"
                and not line.construction_retention_kind
                and order.order_kind == "subcontract"
                and order.retention_percent
            ):
                billed[order] += as_decimal(line.price_subtotal)
        return billed

    def _construction_sync_retention(self):
        """Create, update or remove the held retention lines of draft vendor bills.
        Plain bills (no subcontract withholding retention) are left alone."""
        bills = self.filtered(lambda m: m.move_type == "in_invoice" and m.state == "draft")
        for bill in bills:
            billed = bill._construction_retention_work()
            held_lines = bill.invoice_line_ids.filtered(
                lambda line: line.construction_retention_kind == "payable_held"
            )
            if not billed and not held_lines:
                continue
            digits = bill.currency_id.decimal_places
            wanted = {
                order: retention_amount(amount, order.retention_percent, digits)
                for order, amount in billed.items()
            }
            current, duplicates = {}, []
            for line in held_lines:
                key = line.construction_retention_order_id
                if key in current:
                    duplicates.append(line.id)
                else:
                    current[key] = (line.id, round(-line.price_unit * line.quantity, digits))
            create, update, delete = retention_changes(current, wanted)
            commands = [Command.unlink(line_id) for line_id in delete + duplicates]
            commands += [
                Command.update(line_id, {"quantity": 1, "price_unit": -float(amount)})
                for line_id, amount in update.items()
            ]
            if create:
                account = bill.company_id.construction_retention_payable_account_id
                if not account:
                    raise UserError(
                        _(
                            "Bill %(bill)s: subcontract %(order)s withholds %(percent)s%% "
                            "retention, but company %(company)s has no retention payable "
                            "account. Set the Retention Accounts (Payable) in Settings > "
                            "Construction > Retention.",
                            bill=bill.name or bill.ref or _("(new)"),
                            order=next(iter(create)).name,
                            percent=f"{next(iter(create)).retention_percent:g}",
                            company=bill.company_id.name,
                        )
                    )
                AccountMoveLine = self.env["account.move.line"]
                for order, amount in create.items():
                    name = _(
                        "Retention %(percent)s%% of %(order)s",
                        percent=f"{order.retention_percent:g}",
                        order=order.name,
                    )
                    vals = AccountMoveLine._construction_retention_line_vals(
                        "payable_held", float(amount), account, name, job=order.job_id, order=order
                    )
                    commands.append(Command.create(vals))
            if commands:
                bill.with_context(**{SYNC_CONTEXT_KEY: True}).write({"invoice_line_ids": commands})

    # ------------------------------------------------------------------
    # The match: retention lines are no variance
    # ------------------------------------------------------------------

    def _construction_bill_line(self, line):
        result = super()._construction_bill_line(line)
        if line.construction_retention_kind and not result.is_retention:
            result = dataclasses.replace(result, is_retention=True)
        return result

    def _construction_bill(self, bill, lines):
        """The lines' total compared with the vendor's declared total is the work
        billed: the retention the bill withholds is left out of it."""
        result = super()._construction_bill(bill, lines)
        retention = sum(
            bill.invoice_line_ids.filtered("construction_retention_kind").mapped("price_subtotal")
        )
        if retention:
            result = dataclasses.replace(
                result,
                amount_untaxed_lines=result.amount_untaxed_lines - as_decimal(retention),
            )
        return result

    def action_construction_match(self):
        self._construction_sync_retention()
        return super().action_construction_match()

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def action_post(self):
        self._construction_sync_retention()
        self._construction_check_retention_release()
        return super().action_post()

    def _construction_check_retention_release(self):
        """A release posts only while its retention is still open: never more is
        released than was held (also when a draft release was edited)."""
        lines = self.line_ids.filtered(
            lambda line: line.construction_retention_kind in RELEASE_KINDS
            and line.parent_state == "draft"
        )
        if not lines:
            return
        Ledger = self.env["construction.retention.ledger"].sudo()
        wanted = defaultdict(float)
        for line in lines:
            if line.construction_retention_kind == "payable_released":
                if not line.construction_retention_order_id:
                    raise UserError(
                        _(
                            "%(move)s: a payable retention release needs its subcontract.",
                            move=line.move_id.display_name,
                        )
                    )
                wanted[("payable", line.construction_retention_order_id)] += line.balance
            else:
                if not line.job_id:
                    raise UserError(
                        _(
                            "%(move)s: a receivable retention release needs its job.",
                            move=line.move_id.display_name,
                        )
                    )
                wanted[("receivable", line.job_id)] += -line.balance
        orders = {key[1] for key in wanted if key[0] == "payable"}
        jobs = {key[1] for key in wanted if key[0] == "receivable"}
        open_amounts = {}
        if orders:
            groups = Ledger._read_group(
                [("side", "=", "payable"), ("order_id", "in", [o.id for o in orders])],
                ["order_id"],
                ["open_amount:sum"],
            )
            open_amounts.update({("payable", order): amount for order, amount in groups})
        if jobs:
            groups = Ledger._read_group(
                [("side", "=", "receivable"), ("job_id", "in", [j.id for j in jobs])],
                ["job_id"],
                ["open_amount:sum"],
            )
            open_amounts.update({("receivable", job): amount for job, amount in groups})
        currency = self.env.company.currency_id
        for (side, record), amount in wanted.items():
            open_amount = open_amounts.get((side, record), 0.0)
            if float_compare(amount, open_amount, precision_rounding=currency.rounding) > 0:
                raise UserError(
                    _(
                        "Releasing %(amount)s of the retention of %(what)s is more than the "
                        "%(open)s open: release at most what is open.",
                        amount=currency.format(amount),
                        what=record.display_name,
                        open=currency.format(open_amount),
                    )
                )

    # ------------------------------------------------------------------
    # Credit notes keep their retention kind
    # ------------------------------------------------------------------

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """A credit note of a bill or invoice with retention reverses its retention
        too: its copies of the retention lines keep their kind and subcontract,
        so the ledger nets them."""
        reverses = super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)
        for reverse in reverses:
            originals = reverse.reversed_entry_id.line_ids.filtered("construction_retention_kind")
            candidates = reverse.line_ids.filtered(
                lambda line: line.display_type == "product" and not line.construction_retention_kind
            )
            for original in originals:
                copy = candidates.filtered(
                    lambda line, original=original: line.account_id == original.account_id
                    and line.name == original.name
                    and line.job_id == original.job_id
                )[:1]
                if copy:
                    candidates -= copy
                    copy.with_context(**{SYNC_CONTEXT_KEY: True}).write(
                        {
                            "construction_retention_kind": original.construction_retention_kind,
                            "construction_retention_order_id": (
                                original.construction_retention_order_id.id
                            ),
                        }
                    )
        return reverses
