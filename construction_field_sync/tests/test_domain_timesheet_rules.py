import doctest
import unittest
from datetime import date, datetime
from decimal import Decimal

from odoo.addons.construction_field_sync.domain import timesheet_rules as r

TODAY = date(2026, 11, 20)


def entry(employee, hours, day=TODAY, field="payload.hours", name=None):
    return r.TimeEntry(employee, name or f"E{employee}", day, Decimal(hours), TODAY, field)


class TestDomainTimesheetRules(unittest.TestCase):
    def test_doctests(self):
        failures, tests = doctest.testmod(r)
        self.assertEqual(failures, 0)
        self.assertGreater(tests, 10)

    def test_exactly_the_limit_passes_one_hundredth_more_does_not(self):
        verdicts = r.check_entries(
            [[entry(1, "8")], [entry(1, "8")], [entry(1, "0.01")]], {}, Decimal(16)
        )
        self.assertEqual([v.refused for v in verdicts], [False, False, True])
        breach = verdicts[2].all_breaches()[0]
        self.assertEqual((breach.total, breach.already, breach.limit), (Decimal("16.01"), 16, 16))

    def test_refused_entry_does_not_count_for_the_next(self):
        stored = {(1, TODAY): Decimal(10)}
        verdicts = r.check_entries([[entry(1, 8)], [entry(1, 6)]], stored)
        self.assertEqual([v.refused for v in verdicts], [True, False])

    def test_held_entry_counts_for_the_next(self):
        stored = {(1, TODAY): Decimal(10)}
        verdicts = r.check_entries([[entry(1, 8)], [entry(1, 1)]], stored, action=r.HOLD)
        self.assertEqual([v.held for v in verdicts], [True, True])
        self.assertEqual(verdicts[1].all_breaches()[0].total, Decimal(19))

    def test_other_days_and_people_do_not_add_up(self):
        other_day = date(2026, 11, 19)
        verdicts = r.check_entries(
            [[entry(1, 12)], [entry(2, 12)], [entry(1, 12, day=other_day)]],
            {(2, other_day): Decimal(12)},
        )
        self.assertEqual([v.refused for v in verdicts], [False, False, False])

    def test_crew_names_the_person_and_both_breaches(self):
        crew = [
            entry(1, 4, field="payload.employees.0.hours"),
            entry(2, 10, day=date(2026, 11, 21), field="payload.employees.1.hours"),
        ]
        verdict = r.check_entries([crew], {(2, date(2026, 11, 21)): Decimal(8)})[0]
        self.assertTrue(verdict.refused)
        self.assertEqual(
            [(b.kind, b.field) for b in verdict.all_breaches()],
            [(r.FUTURE_DATE, "payload.date"), (r.DAILY_LIMIT, "payload.employees.1.hours")],
        )

    def test_local_today_follows_the_time_zone(self):
        late = datetime(2026, 11, 20, 23, 0)
        self.assertEqual(r.local_today(late, "Europe/Berlin"), date(2026, 11, 21))
        self.assertEqual(r.local_today(late, None), date(2026, 11, 20))
