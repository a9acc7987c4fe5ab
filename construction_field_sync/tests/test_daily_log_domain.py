import doctest
import unittest
from datetime import date, timedelta
from decimal import Decimal

from ..domain import daily_log
from ..domain.daily_log import ManpowerLine, changes, man_hours, week_bounds, week_days, week_totals


class TestDailyLogDomain(unittest.TestCase):
    def test_doctests(self):
        result = doctest.testmod(daily_log)
        self.assertGreater(result.attempted, 10)
        self.assertEqual(result.failed, 0)

    def test_iso_week_across_the_new_year(self):
        # 2026-12-31 is a Thursday: its week runs Monday 28 December to Sunday 3 January.
        self.assertEqual(week_bounds(date(2026, 12, 31)), (date(2026, 12, 28), date(2027, 1, 3)))
        self.assertEqual(daily_log.week_label(date(2027, 1, 3)), "2026-W53")
        self.assertEqual(week_days(date(2027, 1, 3))[0], date(2026, 12, 28))

    def test_week_totals(self):
        monday = date(2026, 11, 16)
        tuesday = monday + timedelta(days=1)
        lines = [
            ManpowerLine(monday, "Carpenters", None, 5, Decimal(8)),
            ManpowerLine(monday, "Ironworkers", "Northline", 3, Decimal("7.5")),
            ManpowerLine(tuesday, "Carpenters", None, 4, Decimal(9)),
            ManpowerLine(tuesday, "Carpenters", "Formco", 2, Decimal(8)),
            ManpowerLine(tuesday, "Laborers", None, 0, Decimal(8)),
        ]
        totals = week_totals(lines, week_days(monday))
        self.assertEqual(
            [(t.trade, t.subcontractor, t.days, t.headcount, t.hours) for t in totals.by_trade],
            [
                ("Carpenters", None, 2, 9, Decimal("76.00")),
                ("Carpenters", "Formco", 1, 2, Decimal("16.00")),
                ("Ironworkers", "Northline", 1, 3, Decimal("22.50")),
                # Reported with nobody on site: no day counted.
                ("Laborers", None, 0, 0, Decimal("0.00")),
            ],
        )
        self.assertEqual(totals.by_day[tuesday], (6, Decimal("52.00")))
        self.assertEqual(len(totals.by_day), 7)
        self.assertEqual((totals.headcount, totals.hours), (14, Decimal("114.50")))

    def test_man_hours_rounding(self):
        self.assertEqual(man_hours(3, 0.1), Decimal("0.30"))  # not 0.30000000000000004
        self.assertEqual(man_hours(7, Decimal("7.333")), Decimal("51.33"))

    def test_changes(self):
        labels = {"weather_conditions": "Conditions", "temperature_low": "Low", "notes": "Notes"}
        self.assertEqual(
            changes(
                {"weather_conditions": "Sunny", "temperature_low": 4.0, "notes": False},
                {"weather_conditions": "Sunny", "temperature_low": 4, "notes": ""},
                labels,
            ),
            [],
        )
        self.assertEqual(
            changes(
                {"weather_conditions": False, "temperature_low": 4.0},
                {"weather_conditions": "Rain", "temperature_low": 2.5, "notes": "x" * 100},
                labels,
            ),
            ["Conditions: - -> Rain", "Low: 4 -> 2.5", "Notes: - -> " + "x" * 77 + "..."],
        )

    def test_temperature_problem(self):
        self.assertIsNone(daily_log.temperature_problem(-8, -2))
        self.assertEqual(
            daily_log.temperature_problem(-2, -8),
            "the low temperature -2 is above the high temperature -8",
        )
