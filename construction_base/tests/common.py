from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class ConstructionCase(TransactionCase):
    """Two companies, their cost codes, a job with phases and one user per role.

    Everything is built here in code: tests never rely on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_a = cls.env["res.company"].create({"name": "Test GC"})
        cls.company_b = cls.env["res.company"].create({"name": "Test Specialty"})
        cls.CostCode = cls.env["construction.cost.code"]
        cls.Phase = cls.env["construction.phase"]
        cls.Project = cls.env["project.project"]
        cls.division_03 = cls.CostCode.search(
            [("code", "=", "03"), ("company_id", "=", cls.company_a.id)]
        )
        cls.cc_concrete = cls.CostCode.create(
            {
                "code": "03-300",
                "name": "Cast-in-Place Concrete",
                "cost_type": "material",
                "parent_id": cls.division_03.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.cc_labor = cls.CostCode.create(
            {
                "code": "03-310",
                "name": "Concrete Labor",
                "cost_type": "labor",
                "parent_id": cls.cc_concrete.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.cc_b = cls.CostCode.create(
            {
                "code": "23-050",
                "name": "HVAC",
                "cost_type": "material",
                "company_id": cls.company_b.id,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Owner Co", "is_company": True})
        cls.job = cls.Project.with_company(cls.company_a).create(
            {
                "name": "Test Tower",
                "job_code": "J-9001",
                "company_id": cls.company_a.id,
                "partner_id": cls.customer.id,
                "contract_value": 1_000_000,
                "retention_percent": 10,
                "job_status": "in_progress",
                "phase_ids": [
                    Command.create({"code": "P1", "name": "Foundations"}),
                    Command.create({"code": "P2", "name": "Structure"}),
                ],
            }
        )
        cls.phase_1, cls.phase_2 = cls.job.phase_ids.sorted("code")
        cls.job_2 = cls.Project.create(
            {
                "name": "Second Job",
                "job_code": "J-9002",
                "company_id": cls.company_a.id,
                "phase_ids": [Command.create({"code": "P1", "name": "Sitework"})],
            }
        )
        cls.job_b = cls.Project.create(
            {
                "name": "Specialty Job",
                "job_code": "J-9001",
                "company_id": cls.company_b.id,
                "phase_ids": [Command.create({"code": "M1", "name": "Rough-in"})],
            }
        )

        def user(login, groups, company=cls.company_a, companies=None):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set((companies or company).ids)],
            )

        cls.user_construction = user("t_user", "construction_base.group_construction_user")
        cls.user_supervisor = user("t_supervisor", "construction_base.group_site_supervisor")
        cls.user_pm = user("t_pm", "construction_base.group_project_manager")
        cls.user_procurement = user("t_buyer", "construction_base.group_procurement")
        cls.user_ap = user("t_ap", "construction_base.group_accounts_payable")
        cls.user_controller = user("t_controller", "construction_base.group_controller")
        cls.user_b = user("t_user_b", "construction_base.group_project_manager", cls.company_b)
        cls.job.job_member_ids = [Command.link(cls.user_supervisor.id)]
