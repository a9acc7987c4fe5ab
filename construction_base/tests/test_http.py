from odoo.tests import HttpCase, tagged

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestConstructionHttp(HttpCase, ConstructionCase):
    def test_login_and_job_list(self):
        """A project manager logs in and reads the job list through the web client's RPC."""
        self.authenticate("t_pm", "t_pm")
        action = self.env.ref("construction_base.project_project_action_job")
        response = self.url_open(f"/odoo/action-{action.id}")
        self.assertEqual(response.status_code, 200)
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/project.project/web_search_read",
            {
                "model": "project.project",
                "method": "web_search_read",
                "args": [],
                "kwargs": {
                    "domain": [("is_job", "=", True)],
                    "specification": {"job_code": {}, "name": {}, "job_status": {}},
                    "order": "job_code",
                },
            },
        )
        codes = [row["job_code"] for row in result["records"]]
        self.assertEqual(codes, ["J-9001", "J-9002"])

    def test_tour_open_construction_app(self):
        """Headless Chromium: open the Construction app, the job list and a job."""
        self.start_tour("/odoo", "construction_base_open_app", login="t_pm")
