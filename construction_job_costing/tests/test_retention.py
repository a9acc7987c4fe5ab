from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import JobCostCase


@tagged("post_install", "-at_install")
class TestRetention(JobCostCase):
    """The worked example of retention, written out.

    Subcontract "steel" of J-9001 with Northline Steel: 100 units x 4,000 =
    400,000, retention 10 %. No taxes, so that every figure is the one a
    person checks on the documents.

    =========  ============  =========  ========  ========  ==========
    date       document      billed     held      released  amount due
    =========  ============  =========  ========  ========  ==========
    -40 days   bill NS-101   100,000    10,000              90,000
    -20 days   bill NS-102   150,000    15,000              135,000
    -10 days   release 1                          12,000    12,000
    today      release 2                          13,000    13,000
               (final: refused until the work is complete)
    =========  ============  =========  ========  ========  ==========

    Open: 10,000 as of -30 days, 25,000 as of -15 days, 13,000 as of -5
    days, 0 today. Receivable: a progress invoice of 200,000 to the owner
    withholds 20,000 (-20 days), released in full today.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"].with_company(cls.company_a)
        cls.retention_payable = Account.create(
            {
                "code": "219950",
                "name": "Retention Payable",
                "account_type": "liability_current",
                "reconcile": False,
            }
        )
        cls.retention_receivable = Account.create(
            {
                "code": "139950",
                "name": "Retention Receivable",
                "account_type": "asset_current",
                "reconcile": False,
            }
        )
        cls.company_a.write(
            {
                "construction_retention_payable_account_id": cls.retention_payable.id,
                "construction_retention_receivable_account_id": cls.retention_receivable.id,
            }
        )
        cls.Ledger = cls.env["construction.retention.ledger"]
        cls.Wizard = cls.env["construction.retention.release.wizard"]
        cls.day_40, cls.day_20, cls.day_10 = (
            cls.today - timedelta(days=days) for days in (40, 20, 10)
        )
        cls.subcontract = cls.subcontract_order(400000 / 100, 100, retention=10)
        cls.sub_line = cls.subcontract.order_line
        cls.bill_1 = cls.subcontract_bill(cls.sub_line, 25, cls.day_40, "NS-101")
        cls.bill_1.action_post()
        cls.bill_2 = cls.subcontract_bill(cls.sub_line, 37.5, cls.day_20, "NS-102")
        cls.bill_2.action_post()
        cls.revenue = cls.env["account.account"].search(
            [("company_ids", "in", cls.company_a.ids), ("account_type", "=", "income")], limit=1
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="t_billing",
            groups="account.group_account_invoice,construction_base.group_construction_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def subcontract_order(cls, price, qty, retention, partner=None):
        order = (
            cls.env["purchase.order"]
            .with_company(cls.company_a)
            .create(
                {
                    "partner_id": (partner or cls.subcontractor).id,
                    "company_id": cls.company_a.id,
                    "job_id": cls.job.id,
                    "order_kind": "subcontract",
                    "retention_percent": retention,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.steel_work.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "phase_id": cls.phase_2.id,
                                "cost_code_id": cls.cc_steel.id,
                                "taxes_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.button_confirm()
        return order

    @classmethod
    def subcontract_bill(cls, po_line, quantity, date, ref, **vals):
        line_vals = po_line._prepare_account_move_line()
        line_vals.pop("display_type", None)
        line_vals.update(quantity=quantity, price_unit=po_line.price_unit)
        return (
            cls.env["account.move"]
            .with_company(cls.company_a)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": po_line.order_id.partner_id.id,
                    "ref": ref,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [Command.create(line_vals)],
                    **vals,
                }
            )
        )

    @contextmanager
    def assert_user_error(self, pattern):
        """A UserError whose message matches ``pattern``, everything it did rolled back."""
        with self.assertRaises(UserError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def release(self, record, amount=0.0, date=None, release_all=False, user=None):
        action = record.action_open_retention_release()
        wizard = (
            self.Wizard.with_user(user or self.env.user)
            .with_context(**action["context"])
            .create({"amount": amount, "release_all": release_all, "date": date or self.today})
        )
        result = wizard.action_release()
        return self.env["account.move"].browse(result["res_id"])

    def figures(self, domain, as_of=None):
        """(held, released, open) of the ledger rows of ``domain`` as of ``as_of``."""
        ledger = self.Ledger.with_context(
            retention_as_of=fields.Date.to_string(as_of) if as_of else None
        )
        groups = ledger._read_group(domain, [], ["held:sum", "released:sum", "open_amount:sum"])
        return tuple(groups[0]) if groups else (0.0, 0.0, 0.0)

    def retention_lines(self, move):
        return move.invoice_line_ids.filtered("construction_retention_kind")

    def customer_invoice(self, work, retention, date):
        AccountMoveLine = self.env["account.move.line"]
        invoice = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Work completed this period",
                                "quantity": 1,
                                "price_unit": work,
                                "account_id": self.revenue.id,
                                "tax_ids": [Command.clear()],
                            }
                        ),
                        Command.create(
                            AccountMoveLine._construction_retention_line_vals(
                                "receivable_held",
                                retention,
                                self.company_a.construction_retention_receivable_account_id,
                                "Retainage 10%",
                                job=self.job,
                            )
                        ),
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    # ------------------------------------------------------------------
    # Held on the bills
    # ------------------------------------------------------------------

    def test_bills_withhold_retention_net_payable(self):
        for bill, billed, held in ((self.bill_1, 100000, 10000), (self.bill_2, 150000, 15000)):
            line = self.retention_lines(bill)
            self.assertEqual(len(line), 1)
            self.assertEqual(line.construction_retention_kind, "payable_held")
            self.assertEqual(line.construction_retention_order_id, self.subcontract)
            self.assertEqual(line.account_id, self.retention_payable)
            self.assertEqual(line.job_id, self.job)
            self.assertFalse(line.tax_ids)
            self.assertFalse(line.analytic_distribution)
            self.assertAlmostEqual(line.price_subtotal, -held)
            self.assertAlmostEqual(line.credit, held)
            self.assertAlmostEqual(bill.amount_total, billed - held)
            self.assertAlmostEqual(bill.amount_residual, billed - held)
            payable = bill.line_ids.filtered(lambda aml: aml.display_type == "payment_term")
            self.assertAlmostEqual(payable.credit, billed - held)
        # The retention is no cost: the job's actual cost is the work billed.
        analytic = self.env["account.analytic.line"].search(
            [("move_line_id.move_id", "in", (self.bill_1 | self.bill_2).ids)]
        )
        self.assertAlmostEqual(sum(analytic.mapped("amount")), -250000)
        self.assertEqual(set(analytic.move_line_id.mapped("construction_retention_kind")), {False})

    def test_draft_bill_follows_its_work(self):
        bill = self.subcontract_bill(self.sub_line, 10, self.today, "NS-103")
        self.assertAlmostEqual(self.retention_lines(bill).price_unit, -4000)
        work = bill.invoice_line_ids.filtered("purchase_line_id")
        bill.write({"invoice_line_ids": [Command.update(work.id, {"quantity": 12.5})]})
        self.assertEqual(len(self.retention_lines(bill)), 1)
        self.assertAlmostEqual(self.retention_lines(bill).price_unit, -5000)
        self.assertAlmostEqual(bill.amount_total, 45000)
        # Retention changed on the subcontract before posting: the line follows.
        self.subcontract.retention_percent = 5
        bill.action_post()
        self.assertAlmostEqual(self.retention_lines(bill).price_unit, -2500)
        self.assertAlmostEqual(bill.amount_total, 47500)
        self.subcontract.retention_percent = 10

    def test_rounding_to_the_currency(self):
        order = self.subcontract_order(1333.33, 1, retention=7.5)
        bill = self.subcontract_bill(order.order_line, 1, self.today, "NS-104")
        # 7.5 % of 1,333.33 = 99.99975 -> 100.00.
        self.assertAlmostEqual(self.retention_lines(bill).price_unit, -100)
        self.assertAlmostEqual(bill.amount_total, 1233.33)

    def test_plain_bills_untouched(self):
        material_po = self.confirmed_po(self.concrete, 10, 150, self.phase_1, self.cc_concrete)
        no_retention = self.subcontract_order(1000, 10, retention=0)
        for po_line in (material_po.order_line, no_retention.order_line):
            bill = self.subcontract_bill(po_line, 5, self.today, "PLAIN-%s" % po_line.id)
            bill.action_post()
            self.assertFalse(self.retention_lines(bill))
            self.assertAlmostEqual(bill.amount_untaxed, 5 * po_line.price_unit)
        self.assertEqual(no_retention.construction_retention_open, 0)

    def test_missing_account_refused_naming_the_setting(self):
        self.company_a.construction_retention_payable_account_id = False
        moves_before = self.env["account.move"].search_count([])
        with self.assert_user_error("no retention payable account.*Settings"):
            self.subcontract_bill(self.sub_line, 1, self.today, "NS-105")
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)

    def test_match_stays_clean_three_way_block(self):
        self.company_a.write(
            {
                "construction_match_level": "three_way",
                "construction_match_action": "block",
                "construction_total_tolerance_amount": 0.01,
            }
        )
        order = self.subcontract_order(2000, 50, retention=10)
        self.env["construction.progress.receipt"].create(
            {"purchase_line_id": order.order_line.id, "quantity": 20, "date": self.today}
        )
        # The vendor's document states the work billed, 40,000.
        bill = self.subcontract_bill(
            order.order_line, 20, self.today, "NS-201", construction_amount_declared=40000
        )
        bill.action_construction_match()
        self.assertEqual(bill.construction_match_state, "matched")
        self.assertFalse(bill.construction_exception_ids)
        self.assertEqual(self.retention_lines(bill).match_status, "matched")
        bill.action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.construction_match_state, "matched")
        self.assertAlmostEqual(bill.amount_total, 36000)

    # ------------------------------------------------------------------
    # The ledger
    # ------------------------------------------------------------------

    def test_ledger_per_bill_and_as_of(self):
        sub = [("order_id", "=", self.subcontract.id)]
        self.assertEqual(self.figures(sub + [("move_id", "=", self.bill_1.id)]), (10000, 0, 10000))
        self.assertEqual(self.figures(sub + [("move_id", "=", self.bill_2.id)]), (15000, 0, 15000))
        release_1 = self.release(self.subcontract, 12000, self.day_10)
        self.assertEqual(release_1.state, "draft")
        # A draft release is not in the ledger yet, but it is taken from what is open.
        self.assertEqual(self.figures(sub), (25000, 0, 25000))
        release_1.action_post()
        self.assertEqual(self.figures(sub), (25000, 12000, 13000))
        self.assertAlmostEqual(self.subcontract.construction_retention_open, 13000)
        self.assertAlmostEqual(self.job.construction_retention_payable_open, 13000)
        # Final release: refused until the work is complete.
        with self.assert_user_error("final release needs the subcontract"):
            self.release(self.subcontract, 13000)
        with self.assert_user_error("final release needs the subcontract"):
            self.release(self.subcontract, release_all=True)
        self.subcontract.action_construction_mark_complete()
        self.assertTrue(self.subcontract.construction_complete)
        release_2 = self.release(self.subcontract, release_all=True)
        release_2.action_post()
        for release, amount in ((release_1, 12000), (release_2, 13000)):
            self.assertEqual(release.move_type, "in_invoice")
            self.assertEqual(release.partner_id, self.subcontractor)
            line = self.retention_lines(release)
            self.assertEqual(line.construction_retention_kind, "payable_released")
            self.assertEqual(line.construction_retention_order_id, self.subcontract)
            self.assertEqual(line.account_id, self.retention_payable)
            self.assertEqual(line.job_id, self.job)
            self.assertAlmostEqual(line.debit, amount)
            self.assertAlmostEqual(release.amount_total, amount)
        self.assertEqual(self.figures(sub + [("move_id", "=", release_1.id)]), (0, 12000, -12000))
        # As of four dates.
        self.assertEqual(self.figures(sub, self.today - timedelta(days=30)), (10000, 0, 10000))
        self.assertEqual(self.figures(sub, self.today - timedelta(days=15)), (25000, 0, 25000))
        self.assertEqual(self.figures(sub, self.today - timedelta(days=5)), (25000, 12000, 13000))
        self.assertEqual(self.figures(sub, self.today), (25000, 25000, 0))
        self.assertEqual(self.figures(sub), (25000, 25000, 0))
        # By vendor and by job.
        by_vendor = dict(
            self.Ledger._read_group([("side", "=", "payable")], ["partner_id"], ["open_amount:sum"])
        )
        self.assertEqual(by_vendor.get(self.subcontractor), 0)
        self.subcontract.invalidate_recordset(["construction_retention_open"])
        self.assertAlmostEqual(self.subcontract.construction_retention_open, 0)

    def test_release_more_than_open_refused_nothing_created(self):
        moves_before = self.env["account.move"].search_count([])
        with self.assert_user_error(
            r"Releasing \$\s25,000\.01 is more than the \$\s25,000\.00 of retention open on P\d+ "
        ):
            self.release(self.subcontract, 25000.01)
        with self.assert_user_error(
            r"Release amount \$\s0\.00: .* \$\s25,000\.00 of retention is open"
        ):
            self.release(self.subcontract, 0)
        with self.assert_user_error("enter an amount above zero"):
            self.release(self.subcontract, -5)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        # Drafts count: two drafts cannot release more than is open.
        self.release(self.subcontract, 20000)
        with self.assert_user_error(
            r"more than the \$\s5,000\.00 .* \$\s20,000\.00 of it on draft releases"
        ):
            self.release(self.subcontract, 6000)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before + 1)

    def test_edited_draft_release_cannot_post_over_open(self):
        release = self.release(self.subcontract, 5000)
        line = self.retention_lines(release)
        release.write({"invoice_line_ids": [Command.update(line.id, {"price_unit": 30000})]})
        with self.assert_user_error(
            r"Releasing \$\s30,000\.00 .* more than the \$\s25,000\.00 open"
        ):
            release.action_post()
        self.assertEqual(release.state, "draft")

    def test_credit_note_reverses_retention(self):
        bill = self.subcontract_bill(self.sub_line, 5, self.today, "NS-106")
        bill.action_post()
        sub = [("order_id", "=", self.subcontract.id)]
        self.assertEqual(self.figures(sub), (27000, 0, 27000))
        credit_note = bill._reverse_moves(
            [{"invoice_date": self.today, "date": self.today}], cancel=True
        )
        self.assertEqual(
            self.retention_lines(credit_note).construction_retention_kind, "payable_held"
        )
        self.assertEqual(self.figures(sub), (25000, 0, 25000))

    # ------------------------------------------------------------------
    # Receivable
    # ------------------------------------------------------------------

    def test_receivable_held_and_released(self):
        invoice = self.customer_invoice(200000, 20000, self.day_20)
        self.assertAlmostEqual(invoice.amount_total, 180000)
        job = [("job_id", "=", self.job.id), ("side", "=", "receivable")]
        self.assertEqual(self.figures(job), (20000, 0, 20000))
        self.assertEqual(self.figures(job, self.today - timedelta(days=30)), (0, 0, 0))
        self.assertAlmostEqual(self.job.construction_retention_receivable_open, 20000)
        with self.assert_user_error(r"Releasing \$\s20,000\.01 is more than the \$\s20,000\.00"):
            self.release(self.job, 20000.01, user=self.billing_user)
        release = self.release(self.job, release_all=True, user=self.billing_user)
        self.assertEqual(release.move_type, "out_invoice")
        self.assertEqual(release.partner_id, self.customer)
        self.assertEqual(release.state, "draft")
        line = self.retention_lines(release)
        self.assertEqual(line.construction_retention_kind, "receivable_released")
        self.assertEqual(line.account_id, self.retention_receivable)
        self.assertAlmostEqual(release.amount_total, 20000)
        release.action_post()
        self.assertAlmostEqual(line.credit, 20000)
        self.assertEqual(self.figures(job), (20000, 20000, 0))
        self.assertEqual(self.figures(job, self.day_10), (20000, 0, 20000))
        by_customer = dict(
            self.Ledger._read_group(
                [("side", "=", "receivable")], ["partner_id"], ["open_amount:sum"]
            )
        )
        self.assertEqual(by_customer[self.customer], 0)

    def test_release_wizard_form(self):
        action = self.subcontract.action_open_retention_release()
        with Form(self.Wizard.with_context(**action["context"])) as form:
            self.assertEqual(form.partner_id, self.subcontractor)
            self.assertEqual(form.job_id, self.job)
            self.assertEqual(form.open_amount, 25000)
            self.assertEqual(form.available_amount, 25000)
            form.amount = 7000
        release = self.env["account.move"].browse(form.record.action_release()["res_id"])
        self.assertAlmostEqual(release.amount_total, 7000)
        with Form(self.Wizard.with_context(**action["context"])) as form:
            self.assertEqual(form.pending_amount, 7000)
            self.assertEqual(form.available_amount, 18000)
            form.release_all = True
            self.assertEqual(form.amount, 18000)

    # ------------------------------------------------------------------
    # Access and companies
    # ------------------------------------------------------------------

    def test_access_per_group(self):
        self.customer_invoice(200000, 20000, self.day_20)
        ap, billing = self.user_ap, self.billing_user
        # Accounts Payable: the payable side (AP users are billing users too, as
        # construction_ap_match makes them, so they also read the receivable side).
        self.assertIn("payable", self.Ledger.with_user(ap).search([]).mapped("side"))
        # Billing staff: the receivable side only.
        self.assertEqual(
            set(self.Ledger.with_user(billing).search([]).mapped("side")), {"receivable"}
        )
        # Controllers: both.
        self.assertEqual(
            set(self.Ledger.with_user(self.user_controller).search([]).mapped("side")),
            {"payable", "receivable"},
        )
        # Project managers and buyers: no ledger (the smart buttons' figures only).
        for user in (self.user_pm, self.user_procurement):
            with self.assertRaises(AccessError):
                self.Ledger.with_user(user).search([])
        self.assertAlmostEqual(
            self.subcontract.with_user(self.user_procurement).construction_retention_open, 25000
        )
        # Releasing payable retention is for Accounts Payable.
        with self.assertRaises(AccessError):
            self.release(self.subcontract, 1000, user=billing)
        release = self.release(self.subcontract, 1000, user=ap)
        self.assertAlmostEqual(release.amount_total, 1000)

    def test_multi_company_isolation(self):
        controller_b = new_test_user(
            self.env,
            login="t_controller_b",
            groups="construction_base.group_controller",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        self.assertFalse(self.Ledger.with_user(controller_b).search([]))
        self.assertFalse(
            self.Ledger.with_user(controller_b)._read_group([], [], ["open_amount:sum"])[0][0]
        )
        controller_b.company_ids = [Command.link(self.company_a.id)]
        ledger = self.Ledger.with_user(controller_b).with_context(
            allowed_company_ids=(self.company_b | self.company_a).ids
        )
        self.assertEqual(len(ledger.search([("order_id", "=", self.subcontract.id)])), 2)
