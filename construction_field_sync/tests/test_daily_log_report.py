import io
from datetime import timedelta

from lxml import html
from PyPDF2 import PdfFileReader

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..domain.daily_log import week_bounds
from .test_daily_log import PNG, DailyLogCase

DAILY = "construction_field_sync.action_report_daily_log"
WEEKLY = "construction_field_sync.action_report_daily_log_week"


@tagged("post_install", "-at_install")
class TestDailyLogReport(DailyLogCase):
    """The daily report of a log and the weekly report of a job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.monday, cls.sunday = week_bounds(cls.today)
        cls.tuesday = cls.monday + timedelta(days=1)
        cls.log = cls.Log.with_user(cls.supervisor).create(
            {
                "job_id": cls.job.id,
                "date": cls.monday,
                "weather_conditions": "Light rain",
                "temperature_low": 3,
                "temperature_high": 9,
                "precipitation": "4 mm",
                "wind": "SW 20 km/h",
                "weather_delay_hours": 1.5,
                "manpower_ids": [
                    Command.create({"trade": "Carpenters", "headcount": 5, "hours": 8}),
                    Command.create(
                        {
                            "trade": "Ironworkers",
                            "partner_id": cls.subcontractor.id,
                            "headcount": 3,
                            "hours": 7.5,
                        }
                    ),
                ],
                "work_performed": "Formed the level 2 deck, grid A-C.",
                "deliveries": "Rebar #5, 4 t",
                "visitors": "Structural inspector",
                "delays": "Crane down 1 h",
                "notes": "Toolbox talk on rigging.",
                "incident_ids": [
                    Command.create(
                        {
                            "incident_type": "near_miss",
                            "description": "Rebar bundle slipped from the sling.",
                            "people_involved": "Crane crew",
                            "action_taken": "Rigging re-inspected.",
                        }
                    )
                ],
            }
        )
        photo = cls.env["ir.attachment"].create(
            {
                "name": "deck.png",
                "raw": PNG,
                "description": "Deck before the pour",
                "res_model": cls.Log._name,
                "res_id": cls.log.id,
            }
        )
        cls.log.photo_ids = [Command.link(photo.id)]
        # Tuesday: Ana and the project manager each write a log.
        cls.log_tuesday = cls.Log.with_user(cls.supervisor).create(
            {
                "job_id": cls.job.id,
                "date": cls.tuesday,
                "weather_conditions": "Sunny",
                "manpower_ids": [
                    Command.create({"trade": "Carpenters", "headcount": 4, "hours": 9}),
                ],
                "work_performed": "Stripped the level 1 forms.",
            }
        )
        cls.log_tuesday_pm = cls.Log.with_user(cls.user_pm).create(
            {
                "job_id": cls.job.id,
                "date": cls.tuesday,
                "manpower_ids": [
                    Command.create({"trade": "Laborers", "headcount": 2, "hours": 8}),
                ],
                "visitors": "Owner walk-through",
            }
        )
        # Last week and a withdrawn log: not in this week's report.
        cls.log_last_week = cls.Log.with_user(cls.supervisor).create(
            {
                "job_id": cls.job.id,
                "date": cls.monday - timedelta(days=3),
                "manpower_ids": [Command.create({"trade": "Carpenters", "headcount": 9})],
            }
        )

    def render(self, report, logs, user=None):
        env = self.env(user=user) if user else self.env
        content, report_type = env["ir.actions.report"]._render_qweb_html(report, logs.ids)
        self.assertEqual(report_type, "html")
        return html.fromstring(content)

    @staticmethod
    def text(node):
        return " ".join(node.text_content().split())

    def rows(self, document, table, css_class):
        return [
            [self.text(td) for td in row.xpath("./td")]
            for row in document.xpath(
                f".//table[@name='{table}']//tr"
                f"[contains(concat(' ', @class, ' '), ' {css_class} ')]"
            )
        ]

    def test_daily_report(self):
        document = self.render(DAILY, self.log, user=self.supervisor)
        page = self.text(document)
        self.assertIn(f"Daily Report J-9001 {self.monday.isoformat()} Ana Supervisor", page)
        self.assertIn("[J-9001] Test Tower", page)
        self.assertEqual(
            self.rows(document, "manpower", "o_manpower_line"),
            [
                ["Carpenters", "", "5", "8.00", "40.00"],
                ["Ironworkers", "Northline Steel", "3", "7.50", "22.50"],
            ],
        )
        self.assertEqual(
            self.rows(document, "manpower", "o_manpower_total"), [["Total", "8", "", "62.50"]]
        )
        weather = [self.text(td) for td in document.xpath(".//table[@name='weather']//td")]
        self.assertEqual(weather, ["Light rain", "3.0", "9.0", "4 mm", "SW 20 km/h", "1.50"])
        for text in (
            "Formed the level 2 deck, grid A-C.",
            "Rebar #5, 4 t",
            "Structural inspector",
            "Crane down 1 h",
            "Toolbox talk on rigging.",
        ):
            self.assertIn(text, page)
        self.assertEqual(
            self.rows(document, "incidents", "o_incident"),
            [
                [
                    "Near Miss",
                    "Rebar bundle slipped from the sling.",
                    "Crane crew",
                    "Rigging re-inspected.",
                ]
            ],
        )
        images = document.xpath("//div[contains(@class, 'o_daily_log_photo')]/img")
        self.assertEqual(len(images), 1)
        self.assertTrue(images[0].get("src").startswith("data:image/png;base64,"))
        self.assertIn("Deck before the pour", page)

    def test_weekly_report(self):
        logs = self.Log.search([("job_id", "=", self.job.id)])
        withdrawn = self.Log.create(
            {
                "job_id": self.job.id,
                "date": self.tuesday,
                "author_id": False,
                "manpower_ids": [Command.create({"trade": "Painters", "headcount": 7})],
            }
        )
        withdrawn.state = "cancelled"
        document = self.render(WEEKLY, logs | withdrawn)
        sections = document.xpath("//div[contains(@class, 'o_construction_daily_log_week')]")
        self.assertEqual(len(sections), 2)  # last week, this week
        this_week = sections[1]
        self.assertIn(f"Weekly Daily Report {self.today.isocalendar()[0]}-W", self.text(this_week))
        days = self.rows(this_week, "week_days", "o_week_day")
        self.assertEqual(len(days), 7)
        self.assertEqual(days[0][0], "Monday")
        self.assertEqual(days[0][2:], ["Light rain", "Ana Supervisor", "8", "62.50"])
        self.assertEqual(days[1][2:], ["Sunny", "Ana Supervisor, Pat Manager", "6", "52.00"])
        self.assertEqual(days[2][2:], ["", "", "0", "0.00"])
        self.assertEqual(
            self.rows(this_week, "week_days", "o_week_total"), [["Week Total", "14", "114.50"]]
        )
        self.assertEqual(
            self.rows(this_week, "week_trades", "o_week_trade"),
            [
                ["Carpenters", "", "2", "9", "76.00"],
                ["Ironworkers", "Northline Steel", "1", "3", "22.50"],
                ["Laborers", "", "1", "2", "16.00"],
            ],
        )
        self.assertEqual(
            self.rows(this_week, "week_trades", "o_week_trade_total"), [["Total", "14", "114.50"]]
        )
        text = self.text(this_week)
        self.assertIn("Rebar bundle slipped from the sling.", text)
        self.assertIn("Stripped the level 1 forms.", text)
        self.assertIn("Owner walk-through", text)
        self.assertNotIn("Painters", text)
        self.assertEqual(
            [self.text(node) for node in this_week.xpath(".//div[@name='weather_delay']/p")][0],
            "1.50",
        )

    def test_weekly_wizard(self):
        wizard = Form(
            self.env["construction.daily.log.week.wizard"]
            .with_user(self.supervisor)
            .with_context(active_model="project.project", active_id=self.job.id)
        )
        wizard.date = self.tuesday
        wizard = wizard.save()
        self.assertEqual(wizard.job_id, self.job)
        self.assertEqual((wizard.week_start, wizard.week_end), (self.monday, self.sunday))
        self.assertEqual(wizard.log_count, 3)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "construction_field_sync.report_daily_log_week")
        self.assertEqual(
            sorted(action["context"]["active_ids"]),
            sorted((self.log | self.log_tuesday | self.log_tuesday_pm).ids),
        )
        wizard.date = self.monday + timedelta(days=14)
        with self.assertRaisesRegex(UserError, "has no daily log in week"):
            wizard.action_print()

    def test_pdf(self):
        """Both reports as PDF, through wkhtmltopdf."""
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pages = {}
        for report, logs in ((DAILY, self.log), (WEEKLY, self.log | self.log_tuesday)):
            content, report_type = Report._render_qweb_pdf(report, logs.ids)
            self.assertEqual(report_type, "pdf")
            self.assertTrue(content.startswith(b"%PDF"))
            reader = PdfFileReader(io.BytesIO(content))
            pages[report] = [page.extract_text() for page in reader.pages]
        daily = " ".join(" ".join(pages[DAILY]).split())
        self.assertEqual(len(pages[DAILY]), 1)  # one page per log
        self.assertIn("Ironworkers Northline Steel 3 7.50 22.50", daily)
        self.assertIn("62.50", daily)
        weekly = " ".join(" ".join(pages[WEEKLY]).split())
        self.assertIn("Week Total 12 98.50", weekly)

    def test_supervisor_of_another_job_cannot_print(self):
        with self.assertRaises(AccessError):
            self.render(DAILY, self.log, user=self.supervisor_2)
        with self.assertRaises(AccessError):
            self.render(WEEKLY, self.log, user=self.supervisor_2)
