from odoo.tests import HttpCase, tagged

from .common import MatchCase


@tagged("post_install", "-at_install")
class TestApMatchTour(HttpCase, MatchCase):
    def test_tour_override_price_exception_and_post(self):
        """Headless Chromium: a controller overrides a price exception with a reason
        on the bill's Match tab, then posts the bill."""
        self.env["construction.match.rule"].create(
            {
                "name": "Company: 1% on price",
                "company_id": self.company_a.id,
                "price_tolerance_percent": 1,
                "action": "block",
            }
        )
        bill = self.bill(10, 32.0, ref="INV-TOUR-1")
        bill.action_construction_match()
        [exception] = self.open_exceptions(bill)
        self.assertEqual(
            (exception.reason, exception.severity, exception.expected, exception.actual),
            ("price_over_tolerance", "block", 30.0, 32.0),
        )
        self.assertEqual(bill.construction_match_state, "blocked")

        self.start_tour(
            f"/odoo/action-account.action_move_in_invoice_type/{bill.id}",
            "construction_ap_match_override",
            login="t_controller",
        )

        self.assertEqual(bill.state, "posted")
        self.assertEqual(
            (exception.state, exception.override_reason, exception.overridden_by),
            ("overridden", "Fuel surcharge agreed", self.user_controller),
        )
        self.assertEqual(bill.construction_match_state, "matched")
