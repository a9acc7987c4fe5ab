from odoo import Command
from odoo.addons.construction_ap_match.tests.common import MatchCase
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestJobCostTour(HttpCase, MatchCase):
    """The job's project manager drills down from the job cost report to a posted bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The order of MatchCase: 100 concrete at 30.00 on J-9001 / P1 / 03-300, 60
        # received; billed 60 at 30.00 and posted.
        cls.budget = cls.env["construction.budget"].create(
            {
                "job_id": cls.job.id,
                "line_ids": [
                    Command.create(
                        {
                            "phase_id": cls.phase_1.id,
                            "cost_code_id": cls.cc_concrete.id,
                            "original_amount": 5_000,
                        }
                    ),
                    Command.create(
                        {
                            "phase_id": cls.phase_2.id,
                            "cost_code_id": cls.cc_labor.id,
                            "original_amount": 2_000,
                        }
                    ),
                ],
            }
        )
        cls.budget.action_approve()
        cls.vendor_bill = cls.bill(cls, 60, 30, ref="GRM-TOUR-77")
        cls.vendor_bill.action_post()

    def test_tour_drill_from_actual_cost_to_bill(self):
        """Job Cost Report > the job > Actual of P1 / 03-300 > Document: the bill."""
        self.assertEqual(self.budget.state, "approved")
        self.assertEqual(self.vendor_bill.state, "posted")
        [(line, figures)] = [
            item
            for item in self.env["construction.job.cost.report"]._lines(self.job)
            if item[0]["phase"] == self.phase_1
        ]
        self.assertEqual(line["cost_code"], self.cc_concrete)
        self.assertEqual(
            (figures.revised_budget, figures.committed, figures.actual),
            (5000, 1200, 1800),
        )
        self.start_tour("/odoo", "construction_job_costing_drill_to_bill", login=self.user_pm.login)
