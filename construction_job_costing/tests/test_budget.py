from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import JobCostCase


@tagged("post_install", "-at_install")
class TestBudgets(JobCostCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.budget = cls.make_budget(
            cls.job,
            [(cls.phase_1, cls.cc_concrete, 10000), (cls.phase_2, cls.cc_labor, 5000)],
            approve=False,
        )

    def test_approval_by_the_job_pm_locks_the_lines(self):
        with self.assertRaises(UserError) as caught:
            self.budget.with_user(self.user_construction).action_approve()
        self.budget.with_user(self.user_pm).action_approve()
        self.assertEqual((self.budget.state, self.budget.approved_by), ("approved", self.user_pm))
        line = self.line_of(self.budget, self.phase_1, self.cc_concrete)
        with self.assertRaises(UserError) as caught:
            line.original_amount = 12000
        self.assertIn(
            "change it through an owner change order or a budget transfer", str(caught.exception)
        )
        with self.assertRaises(UserError):
            self.budget.line_ids = [
                Command.create({"cost_code_id": self.cc_steel.id, "original_amount": 1})
            ]
        with self.assertRaises(UserError):
            line.unlink()
        self.assertEqual(line.original_amount, 10000)
        line.name = "Footings and slab"  # the description may still change
        self.assertEqual(self.budget.original_total, 15000)

    def test_pm_of_another_job_cannot_change_its_budget(self):
        self.job.user_id = self.user_controller
        with self.assertRaises(AccessError):
            self.budget.line_ids[0].with_user(self.user_pm).write({"original_amount": 1})
        # ...but still reads it.
        self.assertEqual(self.budget.with_user(self.user_pm).original_total, 15000)

    def test_one_line_per_phase_and_cost_code(self):
        with self.assertRaises(ValidationError) as caught:
            self.budget.line_ids = [
                Command.create({"phase_id": self.phase_1.id, "cost_code_id": self.cc_concrete.id})
            ]
        self.assertIn("already has a budget line for P1 / 03-300", str(caught.exception))

    def test_phase_of_another_job_and_archived_code_refused(self):
        other_phase = self.job_2.phase_ids[:1]
        with self.assertRaises(ValidationError) as caught:
            self.budget.line_ids = [
                Command.create({"phase_id": other_phase.id, "cost_code_id": self.cc_steel.id})
            ]
        self.assertIn("belongs to job [J-9002] Second Job", str(caught.exception))
        archived = self.CostCode.create(
            {"code": "09-900", "name": "Painting", "company_id": self.company_a.id}
        )
        archived.active = False
        with self.assertRaises(ValidationError) as caught:
            self.budget.line_ids = [Command.create({"cost_code_id": archived.id})]
        self.assertIn("is archived", str(caught.exception))
        self.assertEqual(len(self.budget.line_ids), 2)

    def test_transfer_moves_budget_and_keeps_the_total(self):
        self.budget.action_approve()
        source = self.line_of(self.budget, self.phase_1, self.cc_concrete)
        target = self.line_of(self.budget, self.phase_2, self.cc_labor)
        transfer = self.Transfer.create(
            {
                "job_id": self.job.id,
                "from_line_id": source.id,
                "to_line_id": target.id,
                "amount": 2500,
                "reason": "Labor short",
            }
        )
        transfer.with_user(self.user_pm).action_approve()
        self.assertEqual((source.revised_amount, target.revised_amount), (7500, 7500))
        self.assertEqual(self.budget.revised_total, 15000)

    def test_transfer_below_committed_plus_actual_refused(self):
        self.budget.action_approve()
        self.confirmed_po(self.concrete, 60, 100, self.phase_1, self.cc_concrete)  # 6,000 committed
        source = self.line_of(self.budget, self.phase_1, self.cc_concrete)
        transfer = self.Transfer.create(
            {
                "job_id": self.job.id,
                "from_line_id": source.id,
                "to_line_id": self.line_of(self.budget, self.phase_2, self.cc_labor).id,
                "amount": 4500,
                "reason": "Too much",
            }
        )
        with self.assertRaises(UserError) as caught:
            transfer.action_approve()
        self.assertIn("below its committed + actual of 6000.0 (short by 500", str(caught.exception))
        self.assertEqual(transfer.state, "draft")
        self.assertEqual(source.revised_amount, 10000)

    def test_transfer_lines_of_another_job_refused(self):
        other = self.make_budget(self.job_2, [(False, self.cc_concrete, 1000)])
        with self.assertRaises(ValidationError) as caught:
            self.Transfer.create(
                {
                    "job_id": self.job.id,
                    "from_line_id": self.budget.line_ids[0].id,
                    "to_line_id": other.line_ids.id,
                    "amount": 10,
                    "reason": "Wrong job",
                }
            )
        self.assertIn("belongs to job [J-9002] Second Job", str(caught.exception))

    def test_forecast_revision_is_history(self):
        revision = (
            self.env["construction.forecast.revision"]
            .with_user(self.user_pm)
            .create(
                {
                    "job_id": self.job.id,
                    "phase_id": self.phase_1.id,
                    "cost_code_id": self.cc_concrete.id,
                    "estimate_to_complete": 12000,
                    "note": "Rock at footing depth",
                }
            )
        )
        with self.assertRaises(UserError):
            revision.with_user(self.user_pm).estimate_to_complete = 1
        row = self.report_rows(self.today)[("P1", "03-300")]
        self.assertEqual((row.estimate_to_complete, row.variance), (12000, -2000))
        self.assertTrue(row.forecast_overridden)


@tagged("post_install", "-at_install")
class TestJobCostAccess(JobCostCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_budget(cls.job, [(cls.phase_1, cls.cc_concrete, 10000)])
        cls.make_budget(cls.job_b, [(False, cls.cc_b, 777)], approve=False)

    def test_groups_and_companies(self):
        Report = self.env["construction.job.cost.report"]
        self.assertEqual(
            Report.with_user(self.user_pm).search([]).job_id, self.job
        )  # company A only
        self.assertEqual(Report.with_user(self.user_b).search([]).job_id, self.job_b)
        self.assertEqual(
            self.env["construction.budget"].with_user(self.user_b).search([]).job_id, self.job_b
        )
        for user in (self.user_supervisor, self.user_construction, self.user_ap):
            with self.assertRaises(AccessError, msg=user.login):
                Report.with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["construction.budget"].with_user(user).search([])
        # The controller works on every job of the company.
        self.job.user_id = self.user_pm
        budget = self.env["construction.budget"].search([("job_id", "=", self.job.id)])
        budget.line_ids.with_user(self.user_controller).name = "Checked"
