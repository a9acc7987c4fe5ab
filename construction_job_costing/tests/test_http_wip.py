import json

from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_wip import FIGURES, J9001_EARLIER, J9001_TODAY, J9002_EARLIER, J9002_TODAY, WipCase

API = "/construction/api/v1"
CONTRACT_KEYS = (
    "job",
    "contract_value",
    "estimated_cost",
    "cost_to_date",
    "percent_complete",
    "earned_revenue",
    "billed_to_date",
    "over_billing",
    "under_billing",
    "cost_to_complete",
    "gross_profit",
)


@tagged("post_install", "-at_install")
class TestWipApi(HttpCase, WipCase):
    """GET /construction/api/v1/wip over real HTTP, on the WIP example."""

    def get(self, path, key=None):
        headers = {} if key is False else {"Authorization": f"Bearer {key or self.api_key}"}
        response = self.opener.get(self.base_url() + path, headers=headers, timeout=30)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")
        return response.status_code, response.json()

    def figures(self, line):
        return tuple(line[name] for name in FIGURES)

    def test_wip_today_as_the_contract_writes_it(self):
        status, body = self.get(f"{API}/wip")
        self.assertEqual(status, 200)
        self.assertEqual(
            (body["as_of"], body["currency"], body["company"]),
            (str(self.today), self.company_a.currency_id.name, "Test GC"),
        )
        self.assertEqual([job["job"] for job in body["jobs"]], ["J-9001", "J-9002"])
        for job in body["jobs"]:
            self.assertLessEqual(set(CONTRACT_KEYS), set(job))
        self.assertEqual(
            {key: body["jobs"][0][key] for key in CONTRACT_KEYS},
            {"job": "J-9001", **dict(zip(CONTRACT_KEYS[1:], J9001_TODAY, strict=False))},
        )
        self.assertEqual(self.figures(body["jobs"][1]), J9002_TODAY)
        self.assertEqual(
            [body["totals"][key] for key in CONTRACT_KEYS[1:]],
            [1_140_000, 980_000, 245_000, 25.0, 273_720.93, 330_000, 66_279.07, 10_000,
             735_000, 160_000],
        )  # fmt: skip

    def test_wip_as_of_thirty_days_ago(self):
        status, body = self.get(f"{API}/wip?as_of={self.as_of_1}")
        self.assertEqual((status, body["as_of"]), (200, str(self.as_of_1)))
        self.assertEqual(self.figures(body["jobs"][0]), J9001_EARLIER)
        self.assertEqual(self.figures(body["jobs"][1]), J9002_EARLIER)
        self.assertEqual(body["totals"]["over_billing"], 162_500)
        self.assertEqual(body["totals"]["under_billing"], 25_000)

    def test_errors(self):
        status, body = self.get(f"{API}/wip?as_of=30-11-2026")
        self.assertEqual((status, body["errors"][0]["field"]), (422, "as_of"))
        status, body = self.get(f"{API}/wip?as_of=2026-02-30")
        self.assertEqual((status, body["errors"][0]["field"]), (422, "as_of"))
        status, _body = self.get(f"{API}/wip", key=False)
        self.assertEqual(status, 401)
        status, _body = self.get(f"{API}/wip", key="not-a-key")
        self.assertEqual(status, 401)
        status, body = self.get(f"{API}/wip?company=Nowhere")
        self.assertEqual((status, body["errors"][0]["code"]), (403, "forbidden_company"))

    def test_user_without_the_group_is_403(self):
        user = new_test_user(
            self.env, login="t_no_group", groups="base.group_user", company_id=self.company_a.id
        )
        key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "t", False)
        status, _body = self.get(f"{API}/wip", key=key)
        self.assertEqual(status, 403)

    def test_company_parameter(self):
        self.job_b.contract_value = 70_000
        status, body = self.get(f"{API}/wip?company=Test Specialty")
        self.assertEqual((status, body["company"]), (200, "Test Specialty"))
        self.assertEqual([(job["job"], job["contract_value"]) for job in body["jobs"]],
                         [("J-9001", 70_000)])  # fmt: skip
        self.assertEqual(body["totals"]["under_billing"], 0)
        status, body = self.get(f"{API}/wip?company={self.company_b.id}")
        self.assertEqual((status, body["company"]), (200, "Test Specialty"))
        # A user limited to company A may not read company B's WIP.
        self.integration_user.write({"company_ids": [Command.set(self.company_a.ids)]})
        status, body = self.get(f"{API}/wip?company=Test Specialty")
        self.assertEqual((status, body["errors"][0]["code"]), (403, "forbidden_company"))
        status, body = self.get(f"{API}/wip")
        self.assertEqual((status, len(body["jobs"])), (200, 2))

    def test_openapi_documents_the_route(self):
        response = self.opener.get(self.base_url() + f"{API}/openapi.json", timeout=30)
        doc = json.loads(response.content)
        validate_openapi(doc, cls=OpenAPIV31SpecValidator)
        operation = doc["paths"][f"{API}/wip"]["get"]
        self.assertEqual(set(operation["responses"]), {"200", "401", "403", "422"})
        schemas = doc["components"]["schemas"]
        self.assertLessEqual(set(CONTRACT_KEYS), set(schemas["WipJob"]["required"]))
        self.assertLessEqual(
            {"as_of", "currency", "jobs", "totals"}, set(schemas["Wip"]["required"])
        )
