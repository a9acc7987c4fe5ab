from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import JobCostCase


@tagged("post_install", "-at_install")
class TestBudgetCheck(JobCostCase):
    """Budget of P1 / 03-300: 10,000, with 4,000 committed (a PO of 40 x 100)
    and 3,000 actual (a posted bill of 30 of those)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.budget = cls.make_budget(cls.job, [(cls.phase_1, cls.cc_concrete, 10000)])
        cls.po = cls.confirmed_po(cls.concrete, 70, 100, cls.phase_1, cls.cc_concrete)
        cls.posted_bill(cls.po.order_line, 30, cls.today, "BC-1")

    def set_mode(self, mode, tolerance=0.0):
        self.company_a.write(
            {"construction_budget_check": mode, "construction_budget_tolerance": tolerance}
        )

    def draft_po(self, qty, price=100):
        return (
            self.env["purchase.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.vendor_b.id,
                    "job_id": self.job.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.concrete.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "phase_id": self.phase_1.id,
                                "cost_code_id": self.cc_concrete.id,
                            }
                        )
                    ],
                }
            )
        )

    def submitted_requisition(self, amount):
        requisition = self.requisition(
            [
                {
                    "name": "More concrete",
                    "product_qty": 1,
                    "estimated_unit_cost": amount,
                    "cost_code_id": self.cc_concrete.id,
                    "phase_id": self.phase_1.id,
                }
            ]
        )
        requisition.action_submit()
        return requisition

    def test_figures_before_the_check(self):
        figures = self.Report._current_figures(self.job)[
            (self.job.id, self.phase_1.id, self.cc_concrete.id)
        ]
        self.assertEqual(
            (figures.revised_budget, figures.committed, figures.actual), (10000, 4000, 3000)
        )

    def test_block_refuses_po_confirmation_naming_the_figures(self):
        self.set_mode("block")
        order = self.draft_po(31)  # 3,100 more: 4,000 + 3,000 + 3,100 = 10,100 > 10,000
        with self.assertRaises(UserError) as caught:
            order.button_confirm()
        message = str(caught.exception)
        self.assertIn("J-9001", message)
        self.assertIn("P1 Foundations", message)
        self.assertIn("03-300 Cast-in-Place Concrete", message)
        for figure in ("10,000.00", "4,000.00", "3,000.00", "3,100.00", "100.00"):
            self.assertIn(figure, message)
        self.assertEqual(order.state, "draft")

    def test_block_passes_exactly_at_budget_and_within_tolerance(self):
        self.set_mode("block")
        order = self.draft_po(30)  # exactly 10,000
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.set_mode("block", tolerance=5)
        order = self.draft_po(5)  # 10,500: within 5 %
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        order = self.draft_po(1)  # 10,600: beyond
        with self.assertRaises(UserError):
            order.button_confirm()

    def test_warn_confirms_and_posts_the_warning(self):
        self.set_mode("warn")
        order = self.draft_po(50)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        warning = order.message_ids.filtered(lambda m: "goes over budget" in (m.body or ""))
        self.assertEqual(len(warning), 1)
        self.assertIn("over by", warning.body)

    def test_off_checks_nothing(self):
        self.set_mode("off")
        order = self.draft_po(500)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertFalse(order.message_ids.filtered(lambda m: "over budget" in (m.body or "")))

    def test_requisition_approval_blocked_then_controller_overrides(self):
        self.set_mode("block")
        requisition = self.submitted_requisition(3500)  # 10,500 > 10,000: controller band
        with self.assertRaises(UserError) as caught:
            requisition.with_user(self.user_pm).action_approve()
        self.assertIn("over by", str(caught.exception))
        self.assertEqual(requisition.state, "submitted")
        # A project manager may not override.
        with self.assertRaises(UserError):
            self.env["construction.budget.override.wizard"].with_user(self.user_pm)._open(
                requisition, "action_approve"
            )
        action = requisition.with_user(self.user_controller).action_open_budget_override()
        wizard = (
            self.env["construction.budget.override.wizard"]
            .with_user(self.user_controller)
            .with_context(**action["context"])
            .create({"reason": "Owner-approved slab thickening"})
        )
        wizard.action_confirm()
        self.assertEqual(requisition.state, "approved")
        self.assertTrue(
            requisition.message_ids.filtered(
                lambda m: "Owner-approved slab thickening" in (m.body or "")
            )
        )

    def test_requisition_within_budget_approves_silently(self):
        self.set_mode("block")
        requisition = self.submitted_requisition(2000)
        requisition.with_user(self.user_pm).action_approve()
        self.assertEqual(requisition.state, "approved")

    def test_unbudgeted_cost_code_counts_as_zero_budget(self):
        self.set_mode("block")
        order = self.draft_po(1)
        order.order_line.cost_code_id = self.cc_labor
        with self.assertRaises(UserError) as caught:
            order.button_confirm()
        self.assertIn("03-310", str(caught.exception))

    def test_plain_po_is_never_checked(self):
        self.set_mode("block")
        plain = (
            self.env["purchase.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.vendor_b.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.rebar.id, "product_qty": 1000, "price_unit": 100}
                        )
                    ],
                }
            )
        )
        plain.button_confirm()
        self.assertEqual(plain.state, "purchase")
