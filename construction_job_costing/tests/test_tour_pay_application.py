from odoo.tests import HttpCase, tagged

from .test_pay_application import PayApplicationCase

REPORT = "construction_job_costing.action_report_pay_application"


@tagged("post_install", "-at_install")
class TestPayApplicationTour(HttpCase, PayApplicationCase):
    """Billing staff certify a pay application and open its PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.new_application("2025-01-31")
        cls.enter(
            cls.application,
            {
                "1": {"work_this_period": 40000},
                "2": {"work_this_period_percent": 50, "stored_materials": 20000},
                "3": {"work_this_period": 100000, "stored_materials": 60000},
            },
        )
        cls.application.action_submit()

    def test_tour_certify_and_print(self):
        self.assertEqual(self.application.current_payment_due, 337000)
        self.start_tour(
            "/odoo",
            "construction_job_costing_certify_pay_application",
            login=self.user_billing.login,
        )
        self.assertEqual(self.application.state, "certified")
        self.assertEqual(self.application.certified_by, self.user_billing)
        self.assertEqual(self.application.invoice_id.amount_total, 337000)

    def test_pdf(self):
        """The PDF itself, through wkhtmltopdf, as the Print button downloads it."""
        self.application.action_certify()
        # Test mode renders reports as HTML unless told otherwise.
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.user_billing)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.application.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.authenticate(self.user_billing.login, self.user_billing.login)
        response = self.url_open(
            f"/report/pdf/construction_job_costing.report_pay_application/{self.application.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        html = self.url_open(
            f"/report/html/construction_job_costing.report_pay_application/{self.application.id}"
        ).text
        for text in (
            "CURRENT PAYMENT DUE",
            "337,000.00",  # line 8
            "713,000.00",  # line 9
            "Continuation Sheet",
            "24.62",  # G / C of item 3
        ):
            self.assertIn(text, html)
        action = self.application.with_user(self.user_billing).action_print()
        self.assertEqual(
            (action["type"], action["report_type"], action["report_name"]),
            ("ir.actions.report", "qweb-pdf", "construction_job_costing.report_pay_application"),
        )
        preview = self.application.action_preview()
        self.assertEqual(
            (preview["type"], preview["report_type"]), ("ir.actions.report", "qweb-html")
        )
