import doctest
from datetime import date, datetime, timezone
from decimal import Decimal

from ..domain import earned, field_dates
from ..domain.earned import earned_budget, line_progress, percent_complete, productivity, same_unit
from ..domain.field_dates import future_date_error, latest_today

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

D = Decimal


class TestEarnedBudget(TestCase):
    """Percent complete by units, earned budget and productivity, without a database."""

    def test_docstrings(self):
        for module in (earned, field_dates):
            failures, _tests = doctest.testmod(module)
            self.assertEqual(failures, 0, module.__name__)

    def test_the_slab_example(self):
        # Budget line 100,000 for 2,000 m2; 500 + 300 m2 installed; 50,000 spent.
        self.assertEqual(
            line_progress(100000, 2000, 800, 50000), (D("40.00"), D("40000.00"), D("0.80"))
        )
        # As of a date before the second day: 500 m2, 25 %, 25,000, 0.5.
        self.assertEqual(
            line_progress(100000, 2000, 500, 50000), (D("25.00"), D("25000.00"), D("0.50"))
        )

    def test_rounding_half_up_and_unrounded(self):
        self.assertEqual(earned_budget(100, 1, 8), D("12.50"))
        self.assertEqual(earned_budget(D("0.05"), 1, 2), D("0.03"))
        self.assertEqual(earned_budget(100, 1, 3, rounding="1"), D("33"))
        self.assertEqual(percent_complete(2, 3, rounding=None).quantize(D("0.0001")), D("66.6667"))
        self.assertEqual(productivity(D("1000"), D("3000"), rounding="0.0001"), D("0.3333"))

    def test_no_figure_without_budget_quantity_or_actual_cost(self):
        self.assertIsNone(percent_complete(10, 0))
        self.assertIsNone(percent_complete(10, -5))
        self.assertIsNone(earned_budget(1000, 10, None))
        self.assertIsNone(productivity(500, 0))
        self.assertIsNone(productivity(500, -10))
        self.assertEqual(line_progress(1000, 0, 10, 500), (None, None, None))
        self.assertEqual(line_progress(1000, 100, 10, 0), (D("10.00"), D("100.00"), None))

    def test_floats_are_read_exactly(self):
        self.assertEqual(earned_budget(0.1, 3, 1), D("0.30"))

    def test_units_match_despite_spelling(self):
        self.assertTrue(same_unit("m2", "m²"))
        self.assertTrue(same_unit("M3", "m³"))
        self.assertFalse(same_unit("m2", "m³"))
        self.assertFalse(same_unit("", "m²"))


class TestFieldDates(TestCase):
    def test_today_anywhere_on_earth_is_accepted(self):
        now = datetime(2026, 11, 20, 12, 0)  # already the 21st in UTC+14
        self.assertEqual(latest_today(now), date(2026, 11, 21))
        self.assertIsNone(future_date_error(date(2026, 11, 21), now))
        self.assertIn("in the future", future_date_error(date(2026, 11, 22), now))

    def test_aware_datetimes_are_read_in_utc(self):
        now = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
        self.assertEqual(latest_today(now), date(2026, 11, 20))
