import dataclasses
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..domain import engine, rules
from ..domain.normalize import normalize_invoice_number
from .res_partner import COMPLIANCE_STATES

MATCH_STATES = [
    ("none", "Not Matched"),
    ("matched", "Matched"),
    ("warning", "Matched with Warnings"),
    ("blocked", "Blocked"),
]
QUANTITY_REASONS = {"qty_over_received", "qty_over_ordered"}
PRICE_REASONS = {"price_over_tolerance", "po_cancelled", "po_fully_billed", "vendor_mismatch"}
CODING_REASONS = {"coding_mismatch"}


def _dec(value):
    return Decimal(str(value or 0))


class AccountMove(models.Model):
    _inherit = "account.move"

    construction_match_state = fields.Selection(
        MATCH_STATES, string="Match", default="none", copy=False, index=True, tracking=True
    )
    construction_matched_at = fields.Datetime(string="Matched On", copy=False, readonly=True)
    construction_exception_ids = fields.One2many(
        "construction.match.exception", "move_id", string="Match Exceptions"
    )
    construction_open_exception_count = fields.Integer(
        compute="_compute_construction_open_exceptions", store=True
    )
    construction_waiting_receipt = fields.Boolean(
        compute="_compute_construction_open_exceptions",
        store=True,
        help="An open exception says more is billed than received: the goods are awaited.",
    )
    construction_ref_normalized = fields.Char(
        compute="_compute_construction_ref_normalized", store=True, index="btree_not_null"
    )
    construction_amount_declared = fields.Monetary(
        string="Declared Total", copy=False, help="The total the vendor's document states."
    )
    construction_external_id = fields.Char(copy=False, index="btree_not_null")
    construction_source_ref = fields.Char(string="Source Document", copy=False)
    construction_compliance_state = fields.Selection(
        COMPLIANCE_STATES,
        string="Vendor Compliance",
        compute="_compute_construction_compliance",
        help="Today, for the jobs of this bill: whether the vendor's required documents are "
        "on file. Payment checks it again on the payment date.",
    )
    construction_compliance_gaps = fields.Text(
        string="Compliance Gaps", compute="_compute_construction_compliance"
    )
    construction_compliance_blocked = fields.Boolean(compute="_compute_construction_compliance")
    construction_compliance_release_ids = fields.One2many(
        "construction.compliance.release", "move_id", string="Compliance Releases"
    )
    construction_compliance_released = fields.Boolean(
        compute="_compute_construction_compliance",
        help="A controller released the next payment despite the gaps.",
    )

    @api.depends("construction_exception_ids.state", "construction_exception_ids.reason")
    def _compute_construction_open_exceptions(self):
        for move in self:
            open_exceptions = move.construction_exception_ids.filtered(lambda e: e.state == "open")
            move.construction_open_exception_count = len(open_exceptions)
            move.construction_waiting_receipt = any(
                e.reason == "qty_over_received" for e in open_exceptions
            )

    @api.depends("ref", "move_type")
    def _compute_construction_ref_normalized(self):
        for move in self:
            move.construction_ref_normalized = (
                normalize_invoice_number(move.ref)
                if move.ref and move.move_type in ("in_invoice", "in_refund")
                else False
            )

    # ------------------------------------------------------------------
    # Which bills are matched
    # ------------------------------------------------------------------

    def _construction_matchable(self):
        """Vendor bills of job orders or coded to jobs (or received from an AP
        platform); other bills, also of plain POs, stay plain Odoo."""
        return self.filtered(
            lambda m: m.move_type == "in_invoice"
            and m.state == "draft"
            and (
                m.construction_external_id
                or any(
                    line.job_id or line.purchase_line_id.job_id
                    for line in m.invoice_line_ids
                    if line.display_type == "product"
                )
            )
        )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------

    def action_construction_match(self):
        bills = self._construction_matchable()
        if not bills:
            raise UserError(_("Only draft vendor bills of purchase orders or jobs are matched."))
        bills._construction_match()
        return True

    def _construction_match(self):
        """Match bills with one read of every PO line, rule and duplicate candidate."""
        bills = self._construction_matchable()
        if not bills:
            return
        self.env.flush_all()
        bill_lines = bills.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        orders = bill_lines.purchase_line_id.order_id | bills.invoice_line_ids.purchase_order_id
        po_lines = orders.order_line.filtered(lambda pl: not pl.display_type)
        billed = self._construction_billed_quantities(po_lines)
        po_base = {pl.id: self._construction_po_line(pl) for pl in po_lines}
        rule_records = self.env["construction.match.rule"].search(
            [("company_id", "in", bills.company_id.ids)]
        )
        rule_data = [self._construction_rule_data(rule) for rule in rule_records]
        defaults = {
            company.id: self._construction_default_rule(company) for company in bills.company_id
        }
        duplicates = bills._construction_duplicates()
        with_new_exceptions = self.browse()
        for bill in bills:
            lines = bill.invoice_line_ids.filtered(lambda line: line.display_type == "product")
            bill_po_lines = (
                lines.purchase_line_id.order_id | lines.purchase_order_id
            ).order_line.ids
            po_data = {
                po_line_id: dataclasses.replace(
                    po_base[po_line_id],
                    qty_billed_elsewhere=_dec(
                        self._construction_billed_before(billed, po_line_id, bill.id)
                    ),
                )
                for po_line_id in bill_po_lines
                if po_line_id in po_base
            }

            def rule_for_line(bill_line, po_line, bill=bill):
                return rules.select_rule(
                    rule_data,
                    bill.company_id.id,
                    bill.commercial_partner_id.id,
                    po_line.categ_id if po_line else None,
                    (po_line.job_id if po_line else None) or bill_line.job_id,
                    defaults[bill.company_id.id],
                )

            result = engine.match_bill(
                self._construction_bill(bill, lines),
                [self._construction_bill_line(line) for line in lines],
                po_data,
                rule_for_line,
                duplicates.get(bill.id, ()),
            )
            if bill._construction_store_result(result, lines):
                with_new_exceptions |= bill
        # One write per resulting state for the whole batch, then the events.
        bills.write({"construction_matched_at": fields.Datetime.now()})
        bills._construction_update_match_state()
        if with_new_exceptions:
            with_new_exceptions._construction_emit("vendor_bill.exception")
        matched = (bills - with_new_exceptions).filtered(
            lambda m: m.construction_match_state in ("matched", "warning")
        )
        if matched:
            matched._construction_emit("vendor_bill.matched")

    @api.model
    def _construction_billed_quantities(self, po_lines):
        """{PO line id: [(bill id, quantity in PO unit)]} of every bill not cancelled."""
        if not po_lines:
            return {}
        rows = self.env["account.move.line"]._read_group(
            [
                ("purchase_line_id", "in", po_lines.ids),
                ("move_id.state", "!=", "cancel"),
                ("move_id.move_type", "=", "in_invoice"),
                ("display_type", "=", "product"),
            ],
            ["purchase_line_id", "move_id", "product_uom_id"],
            ["quantity:sum"],
        )
        billed = defaultdict(list)
        for po_line, move, uom, quantity in rows:
            if uom and uom != po_line.product_uom:
                quantity = uom._compute_quantity(quantity, po_line.product_uom)
            billed[po_line.id].append((move.id, quantity))
        return billed

    @staticmethod
    def _construction_billed_before(billed, po_line_id, bill_id):
        """Billed on earlier bills: cumulative billing counts this bill and the ones
        before it, so of two bills the later one carries the overrun."""
        return sum(qty for move_id, qty in billed.get(po_line_id, ()) if move_id < bill_id)

    @api.model
    def _construction_po_line(self, po_line):
        order = po_line.order_id
        price = (
            po_line.price_subtotal / po_line.product_qty
            if po_line.product_qty
            else po_line.price_unit
        )
        return engine.POLine(
            id=po_line.id,
            order_id=order.id,
            order_name=order.name,
            order_state=order.state,
            vendor_id=order.partner_id.commercial_partner_id.id,
            product_id=po_line.product_id.id,
            qty_ordered=_dec(po_line.product_qty),
            qty_received=_dec(po_line.qty_received),
            qty_billed_elsewhere=_dec(0),
            # Subtotal / quantity carries float noise (64000.00000000001): to 6 places.
            price_unit=_dec(round(price, 6)),
            job_id=po_line.job_id.id or None,
            phase_id=po_line.phase_id.id or None,
            cost_code_id=po_line.cost_code_id.id or None,
            categ_id=po_line.product_id.categ_id.id or None,
        )

    def _construction_bill(self, bill, lines):
        return engine.Bill(
            id=bill.id,
            vendor_id=bill.commercial_partner_id.id,
            company_id=bill.company_id.id,
            currency=bill.currency_id.name,
            invoice_number=bill.ref or "",
            amount_total_declared=_dec(bill.construction_amount_declared)
            if bill.construction_amount_declared
            else None,
            amount_untaxed_lines=_dec(bill.amount_untaxed),
            amount_tax=_dec(bill.amount_tax),
            purchase_order_ids=tuple(lines.purchase_line_id.order_id.ids),
        )

    def _construction_bill_line(self, line):
        """A bill line in the PO's unit and currency, as the engine compares them."""
        po_line = line.purchase_line_id
        quantity, price = line.quantity, line.price_subtotal / line.quantity if line.quantity else 0
        if po_line:
            if line.product_uom_id and line.product_uom_id != po_line.product_uom:
                quantity = line.product_uom_id._compute_quantity(line.quantity, po_line.product_uom)
                price = line.price_subtotal / quantity if quantity else 0
            if line.currency_id != po_line.currency_id:
                price = line.currency_id._convert(
                    price,
                    po_line.currency_id,
                    line.company_id,
                    line.move_id.invoice_date or fields.Date.today(),
                    round=False,
                )
        return engine.BillLine(
            id=line.id,
            sequence=line.sequence,
            po_line_id=po_line.id or None,
            product_id=line.product_id.id or None,
            quantity=_dec(quantity),
            # Subtotal / quantity carries float noise (64000.00000000001): to 6 places.
            price_unit=_dec(round(price, 6)),
            job_id=line.job_id.id or None,
            phase_id=line.phase_id.id or None,
            cost_code_id=line.cost_code_id.id or None,
            is_retention=bool(line.construction_is_retention)
            if "construction_is_retention" in line._fields
            else False,
        )

    @api.model
    def _construction_rule_data(self, rule):
        return rules.MatchRule(
            id=rule.id,
            sequence=rule.sequence,
            company_id=rule.company_id.id,
            vendor_id=rule.vendor_id.commercial_partner_id.id or None,
            categ_id=rule.categ_id.id or None,
            job_id=rule.job_id.id or None,
            level=rule.level,
            price_tolerance_percent=_dec(rule.price_tolerance_percent),
            price_tolerance_amount=_dec(rule.price_tolerance_amount),
            qty_tolerance_percent=_dec(rule.qty_tolerance_percent),
            qty_tolerance_units=_dec(rule.qty_tolerance_units),
            total_tolerance_amount=_dec(rule.total_tolerance_amount),
            action=rule.action,
        )

    @api.model
    def _construction_default_rule(self, company):
        return rules.MatchRule(
            id=0,
            sequence=0,
            company_id=company.id,
            vendor_id=None,
            categ_id=None,
            job_id=None,
            level=company.construction_match_level,
            price_tolerance_percent=_dec(company.construction_price_tolerance_percent),
            price_tolerance_amount=_dec(company.construction_price_tolerance_amount),
            qty_tolerance_percent=_dec(company.construction_qty_tolerance_percent),
            qty_tolerance_units=_dec(company.construction_qty_tolerance_units),
            total_tolerance_amount=_dec(company.construction_total_tolerance_amount),
            action=company.construction_match_action,
        )

    def _construction_duplicates(self):
        """{bill id: [(other id, kind, other number)]} with two searches for all bills."""
        vendors = self.commercial_partner_id
        numbers = [n for n in self.mapped("construction_ref_normalized") if n]
        amounts = list(set(self.mapped("amount_total")))
        window = max(self.company_id.mapped("construction_duplicate_window_days") or [90])
        dates = [d for d in self.mapped("invoice_date") if d] or [fields.Date.today()]
        candidates = (
            self.search(
                [
                    ("move_type", "=", "in_invoice"),
                    ("state", "!=", "cancel"),
                    ("commercial_partner_id", "in", vendors.ids),
                    ("id", "not in", self.ids),
                    "|",
                    ("construction_ref_normalized", "in", numbers),
                    "&",
                    ("amount_total", "in", amounts),
                    ("invoice_date", ">=", min(dates) - timedelta(days=window)),
                ]
            )
            | self
        )
        others = [
            engine.OtherBill(
                id=other.id,
                vendor_id=other.commercial_partner_id.id,
                invoice_number=other.ref or "",
                amount_total=_dec(other.amount_total),
                invoice_date=other.invoice_date,
                state=other.state,
            )
            for other in candidates
        ]
        result = {}
        for bill in self:
            result[bill.id] = engine.find_duplicates(
                engine.OtherBill(
                    id=bill.id,
                    vendor_id=bill.commercial_partner_id.id,
                    invoice_number=bill.ref or "",
                    amount_total=_dec(bill.amount_total),
                    invoice_date=bill.invoice_date or fields.Date.today(),
                    state=bill.state,
                ),
                # A bill duplicates the ones before it, not the other way round.
                [o for o in others if o.id < bill.id],
                bill.company_id.construction_duplicate_window_days,
            )
        return result

    # ------------------------------------------------------------------
    # Storing a result: exceptions, owners, activities, events
    # ------------------------------------------------------------------

    def _construction_owner(self, reason, po_line, job):
        """Who can fix an exception: price -> the PO's buyer; quantity -> the job's
        site supervisor; coding -> the job's project manager; the rest -> AP."""
        company = self.company_id
        supervisor_group = self.env.ref("construction_base.group_site_supervisor")
        if reason in PRICE_REASONS:
            return company.construction_price_exception_user_id or po_line.order_id.user_id
        if reason in QUANTITY_REASONS:
            supervisors = job.job_member_ids.filtered(lambda u: supervisor_group in u.groups_id)
            return company.construction_qty_exception_user_id or supervisors[:1] or job.user_id
        if reason in CODING_REASONS:
            return company.construction_coding_exception_user_id or job.user_id
        ap_users = self.env.ref("construction_base.group_accounts_payable").users.filtered(
            lambda u: company in u.company_ids and not u.share
        )
        return (
            company.construction_duplicate_exception_user_id
            or self.invoice_user_id
            or ap_users.sorted("id")[:1]
        )

    def _construction_store_result(self, result, lines):
        self.ensure_one()
        lines_by_id = {line.id: line for line in lines}
        existing = {
            (exc.move_line_id.id or None, exc.reason): exc
            for exc in self.construction_exception_ids
            if exc.state in ("open", "overridden")
        }
        found = {}
        new_vals = []
        for exc in result.exceptions:
            key = (exc.line_id, exc.reason)
            found[key] = exc
            values = {
                "expected": float(exc.expected) if exc.expected is not None else 0.0,
                "actual": float(exc.actual) if exc.actual is not None else 0.0,
                "variance": float(exc.variance) if exc.variance is not None else 0.0,
                "severity": exc.severity,
                "message": exc.message,
            }
            if key in existing:
                existing[key].write(values)
                continue
            line = lines_by_id.get(exc.line_id)
            po_line = line.purchase_line_id if line else self.env["purchase.order.line"]
            job = (line.job_id if line else False) or po_line.job_id
            new_vals.append(
                {
                    **values,
                    "move_id": self.id,
                    "move_line_id": exc.line_id,
                    "purchase_line_id": po_line.id,
                    "reason": exc.reason,
                    "owner_id": self._construction_owner(exc.reason, po_line, job).id,
                }
            )
        gone = [exc for key, exc in existing.items() if key not in found and exc.state == "open"]
        for exc in gone:
            exc.state = "resolved"
            exc.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Resolved"))
        created = self.env["construction.match.exception"].create(new_vals)
        for exc in created:
            if exc.owner_id:
                exc.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=exc.owner_id.id,
                    summary=_(
                        "Bill %(bill)s: %(message)s", bill=self.name or "", message=exc.message
                    )[:250],
                )
        return bool(created)

    def _construction_update_match_state(self):
        by_state = defaultdict(lambda: self.browse())
        for move in self:
            open_exc = move.construction_exception_ids.filtered(lambda e: e.state == "open")
            if open_exc.filtered(lambda e: e.severity == "block"):
                state = "blocked"
            elif open_exc:
                state = "warning"
            elif move.construction_matched_at:
                state = "matched"
            else:
                state = "none"
            if move.construction_match_state != state:
                by_state[state] |= move
        for state, moves in by_state.items():
            moves.write({"construction_match_state": state})

    def _construction_emit(self, event_type):
        data = {
            move.id: {
                "bill": move.name,
                "external_id": move.construction_external_id or None,
                "vendor": move.commercial_partner_id.name,
                "invoice_number": move.ref or None,
                "match_state": move.construction_match_state,
                "amount_total": move.amount_total,
                "currency": move.currency_id.name,
                "exceptions": [
                    {"reason": exc.reason, "severity": exc.severity, "message": exc.message}
                    for exc in move.construction_exception_ids
                    if exc.state == "open"
                ],
            }
            for move in self
        }
        self.env["construction.sync.outbound"].emit(event_type, self, data)

    # ------------------------------------------------------------------
    # Payment control
    # ------------------------------------------------------------------

    def _construction_check_not_blocked(self, action):
        blocked = self.filtered(
            lambda m: m.construction_exception_ids.filtered(
                lambda e: e.state == "open" and e.severity == "block"
            )
        )
        if blocked:
            lines = []
            for move in blocked:
                reasons = "; ".join(
                    move.construction_exception_ids.filtered(
                        lambda e: e.state == "open" and e.severity == "block"
                    ).mapped("message")
                )
                lines.append(
                    _("%(bill)s: %(reasons)s", bill=move.name or move.ref, reasons=reasons)
                )
            raise UserError(
                _(
                    "%(action)s refused until the match exceptions are resolved or overridden:\n"
                    "%(lines)s",
                    action=action,
                    lines="\n".join(lines),
                )
            )

    def action_post(self):
        matchable = self._construction_matchable()
        matchable._construction_match()
        self._construction_check_not_blocked(_("Posting"))
        result = super().action_post()
        posted = matchable.filtered(lambda m: m.state == "posted")
        if posted:
            posted._construction_emit("vendor_bill.posted")
        return result

    def action_register_payment(self):
        self._construction_check_not_blocked(_("Payment"))
        return super().action_register_payment()

    def _construction_notify_paid(self):
        paid = self.filtered(
            lambda m: m.move_type == "in_invoice"
            and m.payment_state in ("paid", "in_payment")
            and m.construction_matched_at
        )
        if paid:
            paid._construction_emit("vendor_bill.paid")

    @api.model
    def _construction_rematch_for_po_lines(self, po_lines):
        """Draft bills of these job PO lines match again (receipt validated, PO
        changed). System work, whoever validated the receipt: run as superuser."""
        job_lines = po_lines.filtered("job_id")
        if not job_lines:
            return
        bills = (
            self.env["account.move.line"]
            .sudo()
            .search([("purchase_line_id", "in", job_lines.ids), ("move_id.state", "=", "draft")])
            .move_id
        )
        bills._construction_match()

    # ------------------------------------------------------------------
    # Vendor compliance (documents required before paying the vendor)
    # ------------------------------------------------------------------

    def _construction_compliance_jobs(self):
        """The jobs this bill is coded to, or ``(None,)``."""
        self.ensure_one()
        jobs = self.env["project.project"]
        for line in self.invoice_line_ids:
            if line.display_type == "product":
                jobs |= line.job_id or line.purchase_line_id.job_id
        return tuple(sorted(jobs.ids)) or (None,)

    def _construction_compliance_results(self, on_date):
        """{bill id: compliance.Result} of vendor bills on ``on_date``, in one evaluation."""
        bills = self.filtered(lambda m: m.move_type == "in_invoice" and m.partner_id and m.id)
        return self.env["construction.compliance.document"]._construction_evaluate(
            [
                (
                    bill.id,
                    bill.company_id,
                    bill.commercial_partner_id,
                    on_date,
                    bill._construction_compliance_jobs(),
                    bill.id,
                )
                for bill in bills
            ]
        )

    @api.depends(
        "partner_id",
        "move_type",
        "invoice_line_ids.job_id",
        "construction_compliance_release_ids.state",
    )
    def _compute_construction_compliance(self):
        results = self._construction_compliance_results(fields.Date.context_today(self))
        Doc = self.env["construction.compliance.document"]
        for move in self:
            result = results.get(move.id)
            move.construction_compliance_state = result.state if result else "none"
            move.construction_compliance_gaps = (
                Doc._construction_result_text(result, move.company_id) if result else False
            )
            move.construction_compliance_blocked = bool(result and result.blocking)
            move.construction_compliance_released = bool(
                move.construction_compliance_release_ids.filtered(lambda r: r.state == "open")
            )

    def _construction_check_compliance(self, on_date):
        """Refuse payment on ``on_date`` of bills whose vendor misses a blocking document,
        naming each, unless a controller released the payment. Return the results."""
        results = self._construction_compliance_results(on_date)
        Doc = self.env["construction.compliance.document"]
        refused = []
        for bill in self:
            result = results.get(bill.id)
            if not result or not result.blocking:
                continue
            if bill.construction_compliance_release_ids.filtered(lambda r: r.state == "open"):
                continue
            refused.append(
                _(
                    "%(bill)s (%(vendor)s): %(gaps)s",
                    bill=bill.name or bill.ref,
                    vendor=bill.commercial_partner_id.name,
                    gaps="; ".join(
                        Doc._construction_gap_text(gap, bill.company_id) for gap in result.blocking
                    ),
                )
            )
        if refused:
            raise UserError(
                _(
                    "Payment refused: vendor compliance documents are missing or expired on "
                    "%(date)s.\n%(lines)s\nRecord and accept the documents, or ask a controller "
                    "to release this payment with a reason.",
                    date=format_date(self.env, on_date),
                    lines="\n".join(refused),
                )
            )
        return results

    def _construction_compliance_after_payment(self, payments, results):
        """Remember the jobs each payment paid (the next one needs its lien waiver), use
        up the releases and write the warnings paid through on the bills."""
        Doc = self.env["construction.compliance.document"]
        for payment in payments:
            bills = (payment.invoice_ids | payment.reconciled_bill_ids) & self
            jobs = [job for bill in bills for job in bill._construction_compliance_jobs() if job]
            if jobs:
                payment.construction_job_ids = [Command.set(list(set(jobs)))]
        self.env["res.partner"]._construction_refresh_compliance_keys(
            {(bill.company_id.id, bill.commercial_partner_id.id) for bill in self}
        )
        for bill in self:
            result = results.get(bill.id)
            payment = (
                payments.filtered(lambda p, b=bill: b in (p.invoice_ids | p.reconciled_bill_ids))[
                    :1
                ]
                or payments[:1]
            )
            release = bill.construction_compliance_release_ids.filtered(
                lambda r: r.state == "open"
            )[:1]
            if release:
                release.write({"state": "used", "payment_id": payment.id})
                payment.construction_compliance_release_id = release
            if result and result.gaps:
                bill.message_post(
                    body=_(
                        "Paid by %(payment)s with vendor compliance gaps: %(gaps)s",
                        payment=payment.name,
                        gaps="; ".join(
                            Doc._construction_gap_text(gap, bill.company_id) for gap in result.gaps
                        ),
                    )
                )

    def _check_can_release_compliance(self):
        user = self.env.user
        if not user.has_group("construction_base.group_controller") and not user.has_group(
            "account.group_account_manager"
        ):
            raise UserError(
                _("Only a controller may release a payment despite vendor compliance gaps.")
            )
        for bill in self:
            if bill.create_uid == user:
                raise UserError(
                    _(
                        "You entered bill %(bill)s: releasing its payment needs another "
                        "controller (segregation of duties).",
                        bill=bill.name or bill.ref,
                    )
                )
            if bill.construction_compliance_release_ids.filtered(lambda r: r.state == "open"):
                raise UserError(
                    _("The next payment of %s is already released.", bill.name or bill.ref)
                )

    def _construction_release_compliance(self, reason):
        """Let the next single payment of each bill through despite the compliance gaps."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for releasing the payment."))
        self._check_can_release_compliance()
        today = fields.Date.context_today(self)
        results = self._construction_compliance_results(today)
        Doc = self.env["construction.compliance.document"]
        now = fields.Datetime.now()
        vals_list = []
        for bill in self:
            result = results.get(bill.id)
            gaps = Doc._construction_result_text(result, bill.company_id) if result else ""
            vals_list.append(
                {
                    "move_id": bill.id,
                    "reason": reason,
                    "gaps": gaps,
                    "user_id": self.env.user.id,
                    "date": now,
                }
            )
            bill.message_post(
                body=_(
                    "Next payment released despite vendor compliance gaps by %(user)s. "
                    "Reason: %(reason)s. Gaps: %(gaps)s",
                    user=self.env.user.name,
                    reason=reason,
                    gaps=gaps.replace("\n", "; ") or _("none today"),
                )
            )
        return self.env["construction.compliance.release"].sudo().create(vals_list)

    def action_construction_open_release_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Payment"),
            "res_model": "construction.compliance.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------

    @api.model
    def _construction_load_demo(self):
        """Demo bills in each state, on the demo orders of construction_procurement."""
        concrete = self.env.ref(
            "construction_procurement.demo_pol_riverside_concrete", raise_if_not_found=False
        )
        subcontract_lines = self.env["purchase.order.line"].search(
            [
                ("order_id.order_kind", "=", "subcontract"),
                ("order_id.state", "=", "purchase"),
                ("qty_received", ">", 0),
                ("company_id", "=", self.env.ref("base.main_company").id),
            ],
            limit=2,
        )
        if not concrete or not subcontract_lines:
            return self.browse()

        def bill(po_line, quantity, price, ref):
            values = po_line._prepare_account_move_line()
            values.pop("display_type", None)
            values.update(quantity=quantity, price_unit=price)
            return self.with_company(po_line.company_id).create(
                {
                    "move_type": "in_invoice",
                    "partner_id": po_line.order_id.partner_id.id,
                    "ref": ref,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [Command.create(values)],
                }
            )

        sub_a, sub_b = subcontract_lines[0], subcontract_lines[-1]
        bills = (
            bill(concrete, concrete.qty_received, concrete.price_unit, "GR-5521")
            | bill(concrete, 40, concrete.price_unit, "GR-5580")
            | bill(sub_a, sub_a.qty_received, round(sub_a.price_unit * 1.08, 2), "NSE-1042")
            | bill(sub_b, sub_b.qty_received, round(sub_b.price_unit * 1.03, 2), "NSE-1043")
            | bill(concrete, concrete.qty_received, concrete.price_unit, "gr 5521")
        )
        bills._construction_match()
        overridden = bills[3].construction_exception_ids.filtered(
            lambda e: e.state == "open" and e.reason == "price_over_tolerance"
        )
        if overridden:
            overridden.write(
                {
                    "state": "overridden",
                    "override_reason": "Escalation clause of the subcontract, approved by the PM",
                    "overridden_by": self.env.ref("construction_base.demo_user_controller").id,
                    "overridden_date": fields.Datetime.now(),
                }
            )
            bills[3]._construction_update_match_state()
        return bills
