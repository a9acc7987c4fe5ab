import doctest
from datetime import datetime, timedelta, timezone

from ..domain import ordering
from ..domain.ordering import is_stale, order_batch

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

T14 = datetime(2026, 11, 20, 14, 0)
T15 = datetime(2026, 11, 20, 15, 0)


def _order(rows):
    """rows: (id, business key, hour or None); returns the ids in application order."""
    ordered = order_batch(
        rows,
        key=lambda row: row[1],
        occurred=lambda row: None if row[2] is None else datetime(2026, 11, 20, row[2]),
        ident=lambda row: row[0],
    )
    return [row[0] for row in ordered]


class TestDomainOrdering(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(ordering).failed, 0)

    def test_is_stale(self):
        self.assertTrue(is_stale(T14, T15))
        self.assertFalse(is_stale(T15, T14))
        self.assertFalse(is_stale(T15, T15))
        self.assertFalse(is_stale(None, T15))
        self.assertFalse(is_stale(T14, None))
        self.assertFalse(is_stale(None, None))

    def test_is_stale_mixes_naive_utc_and_aware(self):
        paris = timezone(timedelta(hours=1))
        self.assertFalse(is_stale(datetime(2026, 11, 20, 16, 0, tzinfo=paris), T15))
        self.assertTrue(is_stale(datetime(2026, 11, 20, 15, 59, tzinfo=paris), T15))
        self.assertTrue(is_stale(T14, datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)))

    def test_same_key_oldest_first(self):
        rows = [(1, ("field.timesheet", "T-1"), 16), (2, ("field.timesheet", "T-1"), 9)]
        self.assertEqual(_order(rows), [2, 1])

    def test_ties_and_missing_times_by_id(self):
        key = ("field.daily_log", "D-1")
        rows = [(5, key, 10), (3, key, 10), (4, key, None), (9, key, 8), (2, key, None)]
        self.assertEqual(_order(rows), [2, 4, 9, 3, 5])

    def test_arrival_order_across_keys_is_kept(self):
        rows = [
            (10, ("master.project", "J-1"), 12),
            (11, ("master.budget", "J-1"), 9),
            (12, ("master.project", "J-1"), 8),
            (13, None, 1),
            (14, ("master.vendor", "V-1"), 7),
        ]
        # The project keeps the first place (its older update moves there); the
        # budget is not moved before it even though it is older.
        self.assertEqual(_order(rows), [12, 11, 10, 13, 14])

    def test_unsorted_input_and_default_ident(self):
        rows = [(3, "A", 9), (1, "A", 10), (2, "B", 1)]
        # Places in id order are A, B, A; A's older message (id 3) takes the first.
        self.assertEqual(_order(rows), [3, 2, 1])
        ordered = order_batch(
            [{"k": "A", "at": T15}, {"k": "A", "at": T14}, {"k": None, "at": None}],
            key=lambda item: item["k"],
            occurred=lambda item: item["at"],
        )
        self.assertEqual([item["at"] for item in ordered], [T14, T15, None])

    def test_mixed_time_kinds_and_empty(self):
        aware = datetime(2026, 11, 20, 13, 30, tzinfo=timezone.utc)
        ordered = order_batch(
            [("a", T14), ("b", aware)], key=lambda row: "K", occurred=lambda row: row[1]
        )
        self.assertEqual([row[0] for row in ordered], ["b", "a"])
        self.assertEqual(order_batch([], key=len, occurred=len), [])
