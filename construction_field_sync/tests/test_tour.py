from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import FieldCase


@tagged("post_install", "-at_install")
class TestSiteTour(HttpCase, FieldCase):
    """A site supervisor on the phone (390 px): today's daily log, then a day of crew time."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The supervisor's crew on J-9001 yesterday, sent by the field app.
        cls.crew = cls.env["account.analytic.line"].browse()
        messages = [
            cls.message(
                "field.timesheet",
                {
                    "external_id": "CREW-TOUR-1",
                    "employees": ["B100", "ID-101", "cy@example.com"],
                    "project": "J-9001",
                    "phase": "P1",
                    "cost_code": "03-310",
                    "date": cls.yesterday.isoformat(),
                    "hours": 8,
                },
                occurred_at=cls.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        ]
        cls.IntegrationInbound._submit(messages)
        while cls.Inbound._process_due(limit=500):
            pass
        cls.crew = cls.env["account.analytic.line"].search(
            [("field_external_id", "=", "CREW-TOUR-1")]
        )
        cls.user_supervisor.write(
            {"groups_id": [Command.link(cls.env.ref("hr_timesheet.group_hr_timesheet_user").id)]}
        )

    def test_site_day_on_the_phone(self):
        self.assertEqual(len(self.crew), 3)
        self.assertEqual(set(self.crew.mapped("field_state")), {"submitted"})
        self.start_tour(
            "/odoo/action-construction_field_sync.construction_daily_log_action_today",
            "construction_field_sync_site_day",
            login=self.user_supervisor.login,
        )
        log = self.env["construction.daily.log"].search([("job_id", "=", self.job.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.state, log.author_id, log.weather_conditions, log.date),
            ("submitted", self.user_supervisor, "Overcast, light rain after 2 pm", self.today),
        )
        self.assertEqual(
            [(m.trade, m.headcount, m.hours) for m in log.manpower_ids],
            [("Concrete finishers", 6, 8)],
        )
        self.assertEqual(log.photo_ids.mapped("name"), ["pour-level-2.png"])
        self.crew.invalidate_recordset()
        self.assertEqual(set(self.crew.mapped("field_state")), {"approved"})
        self.assertEqual(set(self.crew.mapped("field_approved_by")), {self.user_supervisor})
