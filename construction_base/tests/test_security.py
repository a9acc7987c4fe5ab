from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestSecurity(ConstructionCase):
    def _jobs_seen_by(self, user):
        return self.Project.with_user(user).search([("job_code", "like", "J-900")])

    def test_office_roles_see_every_job_of_their_company(self):
        for user in (
            self.user_construction,
            self.user_pm,
            self.user_procurement,
            self.user_ap,
            self.user_controller,
        ):
            with self.subTest(user=user.login):
                self.assertEqual(self._jobs_seen_by(user), self.job | self.job_2)

    def test_supervisor_sees_only_team_jobs(self):
        self.assertEqual(self._jobs_seen_by(self.user_supervisor), self.job)
        phases = self.Phase.with_user(self.user_supervisor).search([])
        self.assertEqual(phases, self.job.phase_ids)
        with self.assertRaises(AccessError):
            self.job_2.with_user(self.user_supervisor).read(["name"])
        # Made project manager of the second job, they see it too.
        self.job_2.user_id = self.user_supervisor
        self.assertEqual(self._jobs_seen_by(self.user_supervisor), self.job | self.job_2)

    def test_supervisor_keeps_standard_projects(self):
        plain = self.Project.create({"name": "Company picnic", "company_id": self.company_a.id})
        seen = self.Project.with_user(self.user_supervisor).search([("id", "=", plain.id)])
        self.assertEqual(seen, plain)

    def test_read_only_roles(self):
        for user in (self.user_construction, self.user_supervisor, self.user_ap):
            with self.subTest(user=user.login):
                self.assertTrue(self.cc_concrete.with_user(user).read(["code"]))
                with self.assertRaises(AccessError):
                    self.cc_concrete.with_user(user).write({"name": "Changed"})
                with self.assertRaises(AccessError):
                    self.Phase.with_user(user).create(
                        {"project_id": self.job.id, "code": "PX", "name": "X"}
                    )
        self.assertEqual(self.cc_concrete.name, "Cast-in-Place Concrete")

    def test_project_manager_manages_coding(self):
        code = self.CostCode.with_user(self.user_pm).create(
            {"code": "03-350", "name": "Finishing", "company_id": self.company_a.id}
        )
        self.assertEqual(code.company_id, self.company_a)
        phase = self.Phase.with_user(self.user_pm).create(
            {"project_id": self.job.id, "code": "P3", "name": "Envelope"}
        )
        self.assertEqual(phase.company_id, self.company_a)
        job = self.Project.with_user(self.user_pm).create({"name": "PM Job", "job_code": "J-9500"})
        self.assertEqual(job.account_id.code, "J-9500")

    def test_external_refs_only_controller_writes(self):
        Ref = self.env["construction.external.ref"]
        with self.assertRaises(AccessError):
            Ref.with_user(self.user_pm).create(
                {
                    "source": "x",
                    "res_model": "project.project",
                    "res_id": self.job.id,
                    "external_id": "1",
                }
            )
        ref = Ref.with_user(self.user_controller).create(
            {
                "source": "x",
                "res_model": "project.project",
                "res_id": self.job.id,
                "external_id": "1",
            }
        )
        self.assertEqual(ref.record_name, "[J-9001] Test Tower")

    def test_company_isolation(self):
        user_b = self.user_b
        self.assertEqual(self._jobs_seen_by(user_b), self.job_b)
        with self.assertRaises(AccessError):
            self.job.with_user(user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.job.with_user(user_b).write({"name": "Hijacked"})
        with self.assertRaises(AccessError):
            self.cc_concrete.with_user(user_b).read(["code"])
        with self.assertRaises(AccessError):
            self.phase_1.with_user(user_b).write({"name": "Hijacked"})
        self.assertEqual(
            self.CostCode.with_user(user_b).search([("code", "=", "03-300")]), self.browse_none()
        )
        self.assertEqual(self.job.name, "Test Tower")
        self.assertEqual(self.phase_1.name, "Foundations")

    def browse_none(self):
        return self.CostCode.browse()
