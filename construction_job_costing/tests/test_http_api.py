import json

from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JobCostCase
from .test_job_cost import EARLIER_TOTALS

API = "/construction/api/v1"
CONTRACT_FIGURES = (
    "original_budget",
    "approved_changes",
    "revised_budget",
    "committed",
    "actual",
    "estimate_to_complete",
    "estimate_at_completion",
    "variance",
)


@tagged("post_install", "-at_install")
class TestJobCostApi(HttpCase, JobCostCase):
    """GET /jobs/<code>/cost over real HTTP, on the worked example."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build_worked_example()

    def get(self, path, key=None):
        headers = {} if key is False else {"Authorization": f"Bearer {key or self.api_key}"}
        response = self.opener.get(self.base_url() + path, headers=headers, timeout=30)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")
        return response.status_code, response.json()

    def test_job_cost_today_as_the_contract_writes_it(self):
        status, body = self.get(f"{API}/jobs/J-9001/cost")
        self.assertEqual(status, 200)
        self.assertEqual(
            (body["job"], body["company"], body["currency"], body["as_of"]),
            ("J-9001", "Test GC", self.company_a.currency_id.name, str(self.today)),
        )
        self.assertEqual(
            body["lines"][0],
            {
                "phase": "P1",
                "cost_code": "03-300",
                "cost_type": "material",
                "original_budget": 300000.0,
                "approved_changes": 0.0,
                "revised_budget": 300000.0,
                "committed": 60000.0,
                "actual": 90000.0,
                "estimate_to_complete": 210000.0,
                "estimate_at_completion": 300000.0,
                "variance": 0.0,
                "pending_changes": 15000.0,
                "percent_spent": 30.0,
            },
        )
        self.assertEqual(
            [body["totals"][key] for key in CONTRACT_FIGURES],
            [800000, 30000, 830000, 300000, 185000, 675000, 860000, -30000],
        )

    def test_job_cost_as_of_thirty_days_ago(self):
        status, body = self.get(f"{API}/jobs/J-9001/cost?as_of={self.as_of_1}")
        self.assertEqual(status, 200)
        self.assertEqual(body["as_of"], str(self.as_of_1))
        expected = dict(
            zip(
                (
                    "original_budget",
                    "approved_changes",
                    "revised_budget",
                    "pending_changes",
                    "committed",
                    "actual",
                    "committed_actual",
                    "estimate_to_complete",
                    "estimate_at_completion",
                    "variance",
                ),
                EARLIER_TOTALS,
                strict=True,
            )
        )
        self.assertEqual(
            {k: body["totals"][k] for k in CONTRACT_FIGURES},
            {k: expected[k] for k in CONTRACT_FIGURES},
        )
        steel = body["lines"][3]
        self.assertEqual(
            (steel["committed"], steel["actual"], steel["estimate_to_complete"]),
            (320000, 0, 350000),
        )

    def test_errors(self):
        status, body = self.get(f"{API}/jobs/J-0000/cost")
        self.assertEqual((status, body["errors"][0]["code"]), (404, "not_found"))
        status, body = self.get(f"{API}/jobs/J-9001/cost?as_of=30-11-2026")
        self.assertEqual((status, body["errors"][0]["field"]), (422, "as_of"))
        status, body = self.get(f"{API}/jobs/J-9001/cost?as_of=0935-08-14")
        self.assertEqual((status, body["as_of"], body["totals"]["actual"]), (200, "0935-08-14", 0))
        status, body = self.get(f"{API}/jobs/J-9001/cost?as_of=2026-02-30")
        self.assertEqual((status, body["errors"][0]["field"]), (422, "as_of"))
        status, _body = self.get(f"{API}/jobs/J-9001/cost", key=False)
        self.assertEqual(status, 401)
        status, _body = self.get(f"{API}/jobs/J-9001/cost", key="not-a-key")
        self.assertEqual(status, 401)
        status, body = self.get(f"{API}/jobs/J-9001/cost?company=Nowhere")
        self.assertEqual((status, body["errors"][0]["code"]), (403, "forbidden_company"))
        status, _body = self.get(f"{API}/jobs/a%2Fb%00/cost")
        self.assertEqual(status, 404)

    def test_user_without_the_group_is_403(self):
        user = new_test_user(
            self.env, login="t_no_group", groups="base.group_user", company_id=self.company_a.id
        )
        key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "t", False)
        status, _body = self.get(f"{API}/jobs/J-9001/cost", key=key)
        self.assertEqual(status, 403)

    def test_the_same_code_in_two_companies(self):
        """J-9001 exists in both companies: the user's company first, company= picks."""
        self.make_budget(self.job_b, [(False, self.cc_b, 4321)])
        status, body = self.get(f"{API}/jobs/J-9001/cost")
        self.assertEqual((status, body["company"]), (200, "Test GC"))
        status, body = self.get(f"{API}/jobs/J-9001/cost?company=Test Specialty")
        self.assertEqual(
            (status, body["company"], body["totals"]["original_budget"]),
            (200, "Test Specialty", 4321),
        )
        status, body = self.get(f"{API}/jobs/J-9001/cost?company={self.company_b.id}")
        self.assertEqual(body["company"], "Test Specialty")
        # A code only company B has is found without company=.
        self.Project.create(
            {"name": "Plant", "job_code": "J-7777", "company_id": self.company_b.id}
        )
        status, body = self.get(f"{API}/jobs/J-7777/cost")
        self.assertEqual((status, body["company"], body["lines"]), (200, "Test Specialty", []))
        # A user limited to company A never sees company B's job.
        self.integration_user.write({"company_ids": [Command.set(self.company_a.ids)]})
        status, _body = self.get(f"{API}/jobs/J-9001/cost?company=Test Specialty")
        self.assertEqual(status, 403)
        status, _body = self.get(f"{API}/jobs/J-7777/cost")
        self.assertEqual(status, 404)

    def test_openapi_documents_the_route(self):
        response = self.opener.get(self.base_url() + f"{API}/openapi.json", timeout=30)
        doc = json.loads(response.content)
        validate_openapi(doc, cls=OpenAPIV31SpecValidator)
        operation = doc["paths"][f"{API}/jobs/{{code}}/cost"]["get"]
        self.assertEqual(set(operation["responses"]), {"200", "401", "403", "404", "422"})
        line = doc["components"]["schemas"]["JobCostLine"]
        self.assertLessEqual(
            set(CONTRACT_FIGURES) | {"phase", "cost_code", "cost_type"}, set(line["required"])
        )
