from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestPhase(ConstructionCase):
    def test_phase_code_unique_within_job(self):
        with self.assertRaises(ValidationError) as caught:
            self.Phase.create({"project_id": self.job.id, "code": "P1", "name": "Again"})
        self.assertEqual(str(caught.exception), "Job [J-9001] Test Tower already has a phase P1.")
        # P1 exists on job_2 too: codes are per job.
        self.assertEqual(self.job_2.phase_ids.code, "P1")

    def test_phase_company_follows_job(self):
        self.assertEqual(self.phase_1.company_id, self.company_a)
        self.assertEqual(self.job_b.phase_ids.company_id, self.company_b)

    def test_phase_needs_a_job(self):
        plain = self.Project.create({"name": "Plain", "company_id": self.company_a.id})
        with self.assertRaises(ValidationError) as caught:
            self.Phase.create({"project_id": plain.id, "code": "X1", "name": "X"})
        self.assertEqual(
            str(caught.exception),
            "Phase X1 X: project Plain is not a construction job; give it a job code first.",
        )

    def test_phase_dates(self):
        with self.assertRaises(ValidationError) as caught:
            self.phase_1.write({"date_start": "2026-05-01", "date_end": "2026-04-01"})
        self.assertIn(
            "P1 Foundations of job [J-9001] Test Tower ends (2026-04-01)", str(caught.exception)
        )

    def test_phase_display_and_search(self):
        self.assertEqual(self.phase_2.display_name, "P2 Structure")
        found = self.Phase.name_search("Struct", [("project_id", "=", self.job.id)])
        self.assertEqual([row[0] for row in found], [self.phase_2.id])
