from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestAnalyticLine(ConstructionCase):
    def _line(self, **vals):
        return self.env["account.analytic.line"].create(
            {
                "name": "Concrete pour",
                "account_id": self.job.account_id.id,
                "amount": -1250.0,
                "company_id": self.company_a.id,
                **vals,
            }
        )

    def test_line_carries_job_phase_cost_code(self):
        line = self._line(phase_id=self.phase_1.id, cost_code_id=self.cc_concrete.id)
        self.assertEqual(line.job_id, self.job)
        self.assertEqual(line.cost_type, "material")
        rows = self.env["account.analytic.line"]._read_group(
            [("job_id", "=", self.job.id)], ["phase_id", "cost_code_id"], ["amount:sum"]
        )
        self.assertEqual(rows, [(self.phase_1, self.cc_concrete, -1250.0)])

    def test_indexes_exist(self):
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'account_analytic_line'"
            " AND indexname LIKE %s",
            ["%_phase_id_index"],
        )
        self.assertTrue(self.env.cr.fetchall())

    def test_phase_of_other_job_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._line(phase_id=self.job_2.phase_ids.id, cost_code_id=self.cc_concrete.id)
        self.assertEqual(
            str(caught.exception),
            "Concrete pour: phase P1 Sitework belongs to job [J-9002] Second Job, not to job "
            "[J-9001] Test Tower.",
        )

    def test_archived_and_foreign_cost_codes_refused(self):
        self.cc_labor.active = False
        with self.assertRaises(ValidationError) as caught:
            self._line(cost_code_id=self.cc_labor.id)
        self.assertEqual(
            str(caught.exception),
            "Concrete pour: cost code 03-310 Concrete Labor is archived; choose an active one.",
        )
        with self.assertRaises(ValidationError) as caught:
            self._line(cost_code_id=self.cc_b.id)
        self.assertEqual(
            str(caught.exception),
            "Concrete pour: cost code 23-050 HVAC belongs to Test Specialty, not to Test GC.",
        )

    def test_closed_job_takes_no_new_cost(self):
        self.job.job_status = "closed"
        with self.assertRaises(ValidationError) as caught:
            self._line(cost_code_id=self.cc_concrete.id)
        self.assertEqual(
            str(caught.exception),
            "Concrete pour: job [J-9001] Test Tower is closed and takes no new costs.",
        )

    def test_bad_line_in_batch_saves_nothing(self):
        Line = self.env["account.analytic.line"]
        before = Line.search_count([("job_id", "=", self.job.id)])
        with self.assertRaises(ValidationError):
            Line.create(
                [
                    {
                        "name": "good",
                        "account_id": self.job.account_id.id,
                        "amount": -10,
                        "cost_code_id": self.cc_concrete.id,
                    },
                    {
                        "name": "bad",
                        "account_id": self.job.account_id.id,
                        "amount": -10,
                        "phase_id": self.job_2.phase_ids.id,
                    },
                ]
            )
        self.assertEqual(Line.search_count([("job_id", "=", self.job.id)]), before)

    def test_line_outside_jobs_unchanged(self):
        plan, _other = self.env["account.analytic.plan"]._get_all_plans()
        account = self.env["account.analytic.account"].create(
            {"name": "Overhead", "plan_id": plan.id, "company_id": self.company_a.id}
        )
        line = self.env["account.analytic.line"].create(
            {
                "name": "Office rent",
                "account_id": account.id,
                "amount": -900,
                "company_id": self.company_a.id,
            }
        )
        self.assertFalse(line.job_id)
        self.assertFalse(line.phase_id)
        self.assertEqual(line.amount, -900)
