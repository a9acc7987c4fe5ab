from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MatchCase


@tagged("post_install", "-at_install")
class TestMatch(MatchCase):
    def test_matched_bill_posts_with_coding_on_analytic_lines(self):
        bill = self.bill(60, 30)
        bill.action_construction_match()
        self.assertEqual(bill.construction_match_state, "matched")
        self.assertEqual(bill.invoice_line_ids.match_status, "matched")
        self.assertEqual(self.events("vendor_bill.matched").res_id, bill.id)
        bill.action_post()
        self.assertEqual(bill.state, "posted")
        analytic = self.env["account.analytic.line"].search(
            [("move_line_id", "in", bill.line_ids.ids)]
        )
        self.assertEqual(
            (analytic.job_id, analytic.phase_id, analytic.cost_code_id, analytic.amount),
            (self.job, self.phase_1, self.cc_concrete, -1800.0),
        )
        self.assertEqual(self.events("vendor_bill.posted").res_id, bill.id)

    def test_fractional_quantity_at_the_po_price_matches(self):
        """2.3 at 30.00 is 69.00; 69.00 / 2.3 is 30.000000000000004 in floating
        point, which must not read as a price over a zero tolerance."""
        bill = self.bill(2.3, 30)
        bill.action_construction_match()
        self.assertEqual(bill.construction_match_state, "matched")
        self.assertFalse(self.open_exceptions(bill))

    def test_quantity_over_received_blocks_until_the_goods_arrive(self):
        bill = self.bill(80, 30)
        bill.action_construction_match()
        [exception] = self.open_exceptions(bill)
        self.assertEqual(
            (
                exception.reason,
                exception.expected,
                exception.actual,
                exception.variance,
                exception.severity,
            ),
            ("qty_over_received", 60.0, 80.0, 20.0, "block"),
        )
        self.assertEqual(exception.owner_id, self.user_supervisor)
        self.assertEqual(exception.activity_ids.user_id, self.user_supervisor)
        self.assertTrue(bill.construction_waiting_receipt)
        self.assertEqual(bill.construction_match_state, "blocked")
        self.assertEqual(self.events("vendor_bill.exception").res_id, bill.id)
        with self.assertRaises(UserError) as caught:
            bill.action_post()
        self.assertIn(
            "Posting refused until the match exceptions are resolved", str(caught.exception)
        )
        self.assertEqual(bill.state, "draft")
        # The rest arrives: the bill matches again by itself.
        backorder = self.po.picking_ids.filtered(lambda p: p.state != "done")
        backorder._receive_quantities({self.po_line: 20}, self.user_supervisor)
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(bill.construction_match_state, "matched")
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_cumulative_billing_across_two_bills(self):
        first = self.bill(50, 30, ref="INV-1")
        first.action_post()
        second = self.bill(20, 30, ref="INV-2")
        second.action_construction_match()
        [exception] = self.open_exceptions(second)
        self.assertEqual(
            (exception.reason, exception.expected, exception.actual),
            ("qty_over_received", 60.0, 70.0),
        )

    def test_bills_matched_together_count_in_order(self):
        """Two drafts matched in one batch: the later one carries the overrun and
        is the duplicate, not the earlier one."""
        first = self.bill(60, 30, ref="INV-9")
        second = self.bill(40, 30, ref="inv 9")
        (first | second)._construction_match()
        self.assertEqual(first.construction_match_state, "matched")
        self.assertEqual(
            sorted(self.open_exceptions(second).mapped("reason")),
            ["duplicate", "qty_over_received"],
        )
        [qty] = self.open_exceptions(second).filtered(lambda e: e.reason == "qty_over_received")
        self.assertEqual((qty.expected, qty.actual), (60.0, 100.0))

    def test_price_tolerance_rule_and_override(self):
        self.env["construction.match.rule"].create(
            {
                "name": "Ready-mix",
                "company_id": self.company_a.id,
                "vendor_id": self.vendor_a.id,
                "price_tolerance_percent": 5,
                "price_tolerance_amount": 1.0,
                "action": "block",
            }
        )
        at_tolerance = self.bill(10, 31.0, ref="INV-A")
        at_tolerance.action_construction_match()
        self.assertEqual(at_tolerance.construction_match_state, "matched")
        over = self.bill(10, 31.01, ref="INV-B")
        over.action_construction_match()
        [exception] = self.open_exceptions(over)
        self.assertEqual(
            (exception.reason, exception.expected, exception.actual, round(exception.variance, 2)),
            ("price_over_tolerance", 30.0, 31.01, 1.01),
        )
        self.assertEqual(exception.owner_id, self.buyer)
        # The buyer who issued the PO may not override its price exception.
        with self.assertRaises(UserError) as caught:
            exception.with_user(self.buyer).action_override("fine")
        self.assertIn("Only an Accounts Payable manager", str(caught.exception))
        self.buyer.groups_id |= self.env.ref("construction_base.group_controller")
        with self.assertRaises(UserError) as caught:
            exception.with_user(self.buyer).action_override("fine")
        self.assertIn("segregation of duties", str(caught.exception))
        with self.assertRaises(UserError):
            exception.with_user(self.user_controller).action_override("   ")
        exception.with_user(self.user_controller).action_override("Fuel surcharge agreed by phone")
        self.assertEqual(
            (exception.state, exception.overridden_by), ("overridden", self.user_controller)
        )
        self.assertEqual(over.construction_match_state, "matched")
        over.action_post()
        self.assertEqual(over.state, "posted")

    def test_warn_rule_does_not_block(self):
        self.env["construction.match.rule"].create(
            {
                "name": "Job warn",
                "company_id": self.company_a.id,
                "job_id": self.job.id,
                "action": "warn",
            }
        )
        bill = self.bill(10, 35)
        bill.action_construction_match()
        self.assertEqual(bill.construction_match_state, "warning")
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_duplicates(self):
        first = self.bill(10, 30, ref="INV-000042")
        first.action_post()
        same = self.bill(10, 30, ref="inv 42")
        same.action_construction_match()
        duplicate = self.open_exceptions(same).filtered(lambda e: e.reason == "duplicate")
        self.assertEqual(duplicate.severity, "block")
        self.assertIn(first.ref, duplicate.message)
        with self.assertRaises(UserError):
            duplicate.with_user(self.user_controller).action_override("no")
        other_number = self.bill(10, 30, ref="INV-77")
        other_number.action_construction_match()
        possible = self.open_exceptions(other_number).filtered(
            lambda e: e.reason == "possible_duplicate"
        )
        self.assertEqual(possible.severity, "warn")

    def test_payment_refused_while_blocked(self):
        bill = self.bill(60, 30)
        bill.action_post()
        # A blocking exception raised after posting (here by hand) stops payment.
        exception = self.env["construction.match.exception"].create(
            {
                "move_id": bill.id,
                "reason": "price_over_tolerance",
                "severity": "block",
                "message": "Price 30.00 over PO price 25.00",
            }
        )
        with self.assertRaises(UserError) as caught:
            bill.action_register_payment()
        self.assertIn("Payment refused", str(caught.exception))
        exception.with_user(self.user_controller).action_override("Credit note promised")
        action = bill.action_register_payment()
        wizard = self.env["account.payment.register"].with_context(**action["context"]).create({})
        wizard.action_create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.events("vendor_bill.paid").res_id, bill.id)

    def test_coding_mismatch_goes_to_project_manager(self):
        bill = self.bill(10, 30)
        bill.invoice_line_ids.cost_code_id = self.cc_labor
        bill.action_construction_match()
        [exception] = self.open_exceptions(bill)
        self.assertEqual((exception.reason, exception.owner_id), ("coding_mismatch", self.user_pm))

    def test_plain_bill_is_not_matched(self):
        bill = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.vendor_b.id,
                    "invoice_date": "2026-11-20",
                    "invoice_line_ids": [
                        (0, 0, {"name": "Office coffee", "quantity": 1, "price_unit": 12})
                    ],
                }
            )
        )
        bill.action_post()
        self.assertEqual((bill.state, bill.construction_match_state), ("posted", "none"))
        self.assertFalse(bill.construction_exception_ids)


@tagged("post_install", "-at_install")
class TestVendorBillMessage(MatchCase):
    def test_inbound_bill_created_linked_and_matched(self):
        self.env["construction.external.ref"]._bind("fieldapp", {"V-GR": self.vendor_a})
        results = self.submit(
            self.message(
                "ap.vendor_bill",
                {
                    "external_id": "OCR-1",
                    "vendor": "V-GR",
                    "invoice_number": "GR-5521",
                    "invoice_date": "2026-11-20",
                    "purchase_order": self.po.name,
                    "lines": [
                        {"purchase_line": self.po_line.sequence, "quantity": 60, "price_unit": 30}
                    ],
                    "amount_total": 1800 + self.po_line.price_tax / self.po_line.product_qty * 60,
                },
            ),
            self.message(
                "ap.vendor_bill",
                {
                    "external_id": "OCR-2",
                    "vendor": "V-NOPE",
                    "invoice_number": "X",
                    "invoice_date": "2026-11-20",
                    "lines": [{"quantity": 1, "price_unit": 1}],
                    "amount_total": 1,
                },
            ),
        )
        self.process()
        good, bad = self.Inbound.browse([r["id"] for r in results])
        self.assertEqual(good.state, "done")
        bill = self.env["account.move"].browse(good.result_ids)
        self.assertEqual(
            (
                bill.state,
                bill.ref,
                bill.invoice_line_ids.purchase_line_id,
                bill.construction_match_state,
            ),
            ("draft", "GR-5521", self.po_line, "matched"),
        )
        self.assertEqual(bill.construction_source_ref, f"fieldapp/{good.idempotency_key}")
        self.assertEqual((bad.state, bad.errors[0]["field"]), ("dead", "payload.vendor"))
