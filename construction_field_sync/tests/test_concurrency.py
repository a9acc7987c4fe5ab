import threading
import time
import uuid

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name


@tagged("post_install", "-at_install")
class TestTwoWorkers(BaseCase):
    """Two cron workers, two real connections, time of one person and day.

    Each worker alone would accept its 10 h; together they must not store
    20 h. Data is committed, so the test removes what it created.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.tag = uuid.uuid4().hex[:6].upper()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            cls.user_id = (
                env["res.users"]
                .create(
                    {
                        "name": "Worker bot",
                        "login": f"worker-{cls.tag}",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [
                            Command.link(env.ref("construction_connector.group_integration").id)
                        ],
                    }
                )
                .id
            )
            cls.source_id = (
                env["construction.sync.source"]
                .create({"code": f"two-{cls.tag}", "name": "Two workers"})
                .id
            )
            job = env["project.project"].create(
                {"name": "Two workers", "job_code": f"W-{cls.tag}", "company_id": company.id}
            )
            code = env["construction.cost.code"].create(
                {
                    "code": f"L-{cls.tag}",
                    "name": "Labor",
                    "cost_type": "labor",
                    "company_id": company.id,
                }
            )
            employee = env["hr.employee"].create(
                {"name": "Dana Double", "barcode": f"DD{cls.tag}", "company_id": company.id}
            )
            cls.job_id, cls.code_id, cls.employee_id = job.id, code.id, employee.id

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["construction.sync.inbound"].search([("source_id", "=", cls.source_id)]).unlink()
            env["account.analytic.line"].search([("job_id", "=", cls.job_id)]).unlink()
            env["construction.field.sync.log"].search([("job_id", "=", cls.job_id)]).unlink()
            env["construction.field.day.claim"].search(
                [("employee_id", "=", cls.employee_id)]
            ).unlink()
            env["hr.employee"].browse(cls.employee_id).unlink()
            env["construction.sync.source"].browse(cls.source_id).unlink()
            env["project.project"].browse(cls.job_id).write({"active": False})
            env["construction.cost.code"].browse(cls.code_id).write({"active": False})
            env["res.users"].browse(cls.user_id).write({"active": False})
        super().tearDownClass()

    def _message(self, external_id):
        return {
            "source": f"two-{self.tag}",
            "type": "field.timesheet",
            "idempotency_key": f"{external_id}-{self.tag}",
            "occurred_at": fields.Datetime.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "payload": {
                "external_id": external_id,
                "employee": f"DD{self.tag}",
                "project": f"W-{self.tag}",
                "cost_code": f"L-{self.tag}",
                "date": (fields.Date.today() - fields.date_utils.relativedelta(days=1)).isoformat(),
                "hours": 10,
            },
        }

    def test_the_daily_limit_holds_across_two_workers(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.user_id, {})
            first, second = (
                result["id"]
                for result in env["construction.sync.inbound"]._submit(
                    [self._message("MORNING"), self._message("AFTERNOON")]
                )
            )
        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env1["construction.sync.inbound"].browse(first)._process()

            def second_worker():
                with self.registry.cursor() as cr2:
                    env2 = api.Environment(cr2, SUPERUSER_ID, {})
                    env2["construction.sync.inbound"].browse(second)._process()

            worker = threading.Thread(target=second_worker)
            worker.start()
            time.sleep(1.5)  # the second worker waits on the first one's day claim
            cr1.commit()
        worker.join(30)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            messages = env["construction.sync.inbound"].browse([first, second])
            self.assertEqual(messages.mapped("state"), ["done", "failed"])
            self.assertEqual(messages[1].errors[0]["code"], "transient_error")
            # The retry sees the first worker's 10 h: 20 h is over the limit.
            messages[1].next_attempt_at = False
            messages[1]._process()
            self.assertEqual(messages[1].state, "dead")
            self.assertEqual(messages[1].errors[0]["field"], "payload.hours")
            lines = env["account.analytic.line"].search([("job_id", "=", self.job_id)])
            self.assertEqual(sum(lines.mapped("unit_amount")), 10)
