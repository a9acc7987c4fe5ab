from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import JobCostCase


@tagged("post_install", "-at_install")
class TestChangeOrders(JobCostCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.budget = cls.make_budget(
            cls.job,
            [(cls.phase_1, cls.cc_concrete, 100000), (cls.phase_1, cls.cc_labor, 50000)],
        )

    def test_numbers_run_per_job(self):
        first = self.change_order([(self.phase_1, self.cc_concrete, 100, 120)])
        second = self.change_order([(self.phase_1, self.cc_concrete, 100, 120)])
        other = self.change_order([(False, self.cc_concrete, 100, 120)], job=self.job_2)
        self.assertEqual(
            (first.name, second.name, other.name),
            ("J-9001-CO-001", "J-9001-CO-002", "J-9002-CO-001"),
        )

    def test_pm_approves_within_limit_raising_budget_contract_and_event(self):
        order = self.change_order(
            [
                (self.phase_1, self.cc_concrete, 12000, 15000),
                (self.phase_2, self.cc_steel, 8000, 10000),
            ]
        ).with_user(self.user_pm)
        order.action_submit()
        order.action_approve()
        self.assertEqual(order.state, "approved")
        self.assertEqual(order.approved_by, self.user_pm)
        self.assertEqual(self.job.contract_value, 1025000)
        concrete = self.line_of(self.budget, self.phase_1, self.cc_concrete)
        self.assertEqual(concrete.revised_amount, 112000)
        # A cost code without a budget line gets one with a zero original.
        steel = self.line_of(self.budget, self.phase_2, self.cc_steel)
        self.assertEqual((steel.original_amount, steel.revised_amount), (0, 8000))
        self.assertEqual(self.budget.revised_total, 170000)
        [event] = self.events("change_order.approved")
        self.assertEqual(event.payload["change_order"], "J-9001-CO-001")
        self.assertEqual(event.payload["job"], "J-9001")
        self.assertEqual(
            (event.payload["cost_delta"], event.payload["price_delta"]), (20000, 25000)
        )
        self.assertEqual(event.payload["contract_value"], 1025000)
        self.assertEqual(len(event.payload["lines"]), 2)

    def test_above_limit_needs_a_controller(self):
        order = self.change_order([(self.phase_1, self.cc_concrete, 60000, 70000)])
        order.action_submit()
        self.assertTrue(order.needs_controller)
        with self.assertRaises(UserError) as caught:
            order.with_user(self.user_pm).action_approve()
        self.assertIn("above the project manager limit", str(caught.exception))
        self.assertEqual(order.state, "submitted")
        order.with_user(self.user_controller).action_approve()
        self.assertEqual(order.state, "approved")

    def test_pending_is_exposure_not_budget(self):
        order = self.change_order([(self.phase_1, self.cc_concrete, 5000, 6000)])
        order.action_submit()
        self.assertEqual(
            self.line_of(self.budget, self.phase_1, self.cc_concrete).revised_amount, 100000
        )
        self.assertEqual(
            (self.job.pending_change_cost, self.job.pending_change_price), (5000, 6000)
        )
        row = self.report_rows(self.today)[("P1", "03-300")]
        self.assertEqual((row.revised_budget, row.pending_changes), (100000, 5000))
        order.action_reject()
        self.job.invalidate_recordset()
        self.assertEqual(self.job.pending_change_cost, 0)

    def test_closed_job_takes_no_change_order(self):
        self.job_2.job_status = "closed"
        with self.assertRaises(ValidationError) as caught:
            self.change_order([(False, self.cc_concrete, 100, 100)], job=self.job_2)
        self.assertIn("closed", str(caught.exception))

    def test_approved_change_order_is_locked(self):
        order = self.change_order([(self.phase_1, self.cc_concrete, 100, 100)])
        order.action_submit()
        order.action_approve()
        with self.assertRaises(UserError):
            order.write({"line_ids": [(5, 0, 0)]})
        with self.assertRaises(UserError):
            order.action_void()

    def test_pm_of_another_job_may_not_approve(self):
        self.job_2.user_id = self.user_controller
        order = self.change_order([(False, self.cc_concrete, 100, 100)], job=self.job_2)
        order.action_submit()
        with self.assertRaises(UserError):
            order.with_user(self.user_pm).action_approve()
