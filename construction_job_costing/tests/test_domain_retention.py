import doctest
import unittest
from decimal import Decimal

from ..domain import retention
from ..domain.retention import (
    RELEASE_FINAL_NOT_COMPLETE,
    RELEASE_NOT_POSITIVE,
    RELEASE_OVER_OPEN,
    check_release,
    retention_amount,
    retention_changes,
)


class TestDomainRetention(unittest.TestCase):
    def test_doctests(self):
        result = doctest.testmod(retention)
        self.assertFalse(result.failed)
        self.assertTrue(result.attempted)

    def test_retention_amount_of_the_worked_example(self):
        self.assertEqual(retention_amount(100000, 10, 2), Decimal("10000.00"))
        self.assertEqual(retention_amount(150000, 10, 2), Decimal("15000.00"))
        self.assertEqual(retention_amount("1333.32", 10, 2), Decimal("133.33"))
        self.assertEqual(retention_amount("0.05", 10, 2), Decimal("0.01"))  # half up
        self.assertEqual(retention_amount(1000, 0, 2), Decimal("0.00"))
        self.assertEqual(retention_amount(1000, 10, 0), Decimal("100"))
        for percent in (-1, 100.01):
            with self.assertRaises(ValueError):
                retention_amount(1000, percent, 2)

    def test_check_release(self):
        partial = check_release(12000, 25000, 0, 2, complete=False)
        self.assertTrue(partial.ok)
        self.assertFalse(partial.final)
        self.assertEqual(partial.available, Decimal("25000.00"))
        final = check_release(13000, 13000, 0, 2, complete=False)
        self.assertEqual(final.problem, RELEASE_FINAL_NOT_COMPLETE)
        self.assertTrue(final.final)
        self.assertTrue(check_release(13000, 13000, 0, 2, complete=True).ok)
        self.assertEqual(check_release(25000.01, 25000, 0, 2).problem, RELEASE_OVER_OPEN)
        self.assertEqual(check_release(6000, 25000, 20000, 2).problem, RELEASE_OVER_OPEN)
        self.assertEqual(check_release(0.004, 25000, 0, 2).problem, RELEASE_NOT_POSITIVE)
        self.assertEqual(check_release(-1, 25000, 0, 2).problem, RELEASE_NOT_POSITIVE)
        # 0.004 over what is open rounds away: not over.
        self.assertTrue(check_release(25000.004, 25000, 0, 2).ok)

    def test_retention_changes(self):
        self.assertEqual(retention_changes({}, {}), ({}, {}, []))
        self.assertEqual(
            retention_changes({"a": (1, Decimal("10.00"))}, {"a": Decimal("10.00")}),
            ({}, {}, []),
        )
        self.assertEqual(retention_changes({"a": (1, Decimal("10.00"))}, {}), ({}, {}, [1]))
        self.assertEqual(
            retention_changes({}, {"a": Decimal("5"), "b": Decimal("0")}),
            ({"a": Decimal("5")}, {}, []),
        )
