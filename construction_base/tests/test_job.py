from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestJob(ConstructionCase):
    def test_job_fields(self):
        self.assertTrue(self.job.is_job)
        self.assertEqual(self.job.display_name, "[J-9001] Test Tower")
        self.assertEqual(self.job.contract_value, 1_000_000)
        self.assertEqual(self.job.phase_count, 2)
        plain = self.Project.create({"name": "Office move"})
        self.assertFalse(plain.is_job)
        self.assertEqual(plain.display_name, "Office move")

    def test_duplicate_job_code_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.Project.create(
                {"name": "Copy", "job_code": "J-9001", "company_id": self.company_a.id}
            )
        self.assertEqual(
            str(caught.exception),
            "Job code J-9001 is already used in Test GC by Test Tower.",
        )
        # The same code in the other company is another job (see common: job_b).
        self.assertEqual(self.job_b.job_code, "J-9001")
        self.assertNotEqual(self.job_b.company_id, self.job.company_id)

    def test_rename_to_existing_code_refused_and_kept(self):
        with self.assertRaises(ValidationError):
            self.job_2.job_code = "J-9001"
        self.assertEqual(self.job_2.job_code, "J-9002")

    def test_bad_job_code_and_figures(self):
        with self.assertRaises(ValidationError) as caught:
            self.Project.create({"name": "X", "job_code": "J 1", "company_id": self.company_a.id})
        self.assertIn("Job code J 1 may only hold letters", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.job.retention_percent = 120
        self.assertEqual(
            str(caught.exception),
            "Job [J-9001] Test Tower: retention 120.0% must be between 0 and 100.",
        )
        with self.assertRaises(ValidationError) as caught:
            self.job.contract_value = -5
        self.assertIn("contract value cannot be negative", str(caught.exception))

    def test_retention_default_from_company(self):
        self.company_a.construction_retention_percent = 7.5
        job = self.Project.with_company(self.company_a).create(
            {"name": "Defaults", "job_code": "J-9100"}
        )
        self.assertEqual(job.retention_percent, 7.5)
        self.assertEqual(job.company_id, self.company_a)

    def test_analytic_account_created_and_synced(self):
        account = self.job.account_id
        self.assertTrue(account)
        self.assertEqual(account.name, "Test Tower")
        self.assertEqual(account.code, "J-9001")
        self.assertEqual(account.partner_id, self.customer)
        self.assertEqual(account.company_id, self.company_a)
        project_plan, _other = self.env["account.analytic.plan"]._get_all_plans()
        self.assertEqual(account.plan_id, project_plan)

        other_customer = self.env["res.partner"].create({"name": "New Owner"})
        self.job.write(
            {"name": "Test Tower II", "job_code": "J-9011", "partner_id": other_customer.id}
        )
        self.assertEqual(self.job.account_id, account, "the same account is kept")
        self.assertEqual(
            (account.name, account.code, account.partner_id),
            ("Test Tower II", "J-9011", other_customer),
        )

    def test_project_becomes_job(self):
        project = self.Project.create(
            {"name": "Was a plain project", "company_id": self.company_a.id}
        )
        project.job_code = "J-9200"
        self.assertTrue(project.is_job)
        self.assertEqual(project.account_id.code, "J-9200")

    def test_batch_create_accounts_in_order(self):
        jobs = self.Project.create(
            [
                {"name": f"Batch {i}", "job_code": f"J-93{i}", "company_id": self.company_a.id}
                for i in range(3)
            ]
        )
        self.assertEqual(jobs.account_id.mapped("code"), ["J-930", "J-931", "J-932"])

    def test_job_status_action(self):
        self.job.action_set_job_status("closed")
        self.assertEqual(self.job.job_status, "closed")
        with self.assertRaises(ValidationError):
            self.job.action_set_job_status("finished")

    def test_selection_labels_in_user_language(self):
        # The web client always sends a language; the labels then come from
        # ir.model.fields.selection (empty badges and dropdowns if not reflected).
        for model, field, value, label in (
            ("project.project", "job_status", "in_progress", "In Progress"),
            ("construction.cost.code", "cost_type", "subcontract", "Subcontract"),
        ):
            described = self.env[model].with_context(lang="en_US").fields_get([field])
            self.assertEqual(dict(described[field]["selection"]).get(value), label, model)
