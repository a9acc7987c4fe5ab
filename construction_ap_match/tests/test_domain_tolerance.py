import doctest
from decimal import Decimal

from ..domain import tolerance
from ..domain.rules import MatchRule
from ..domain.tolerance import allowed_over, price_breach, qty_breach, total_breach

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


def rule(**tolerances):
    return MatchRule(id=1, sequence=10, company_id=1, **tolerances)


class TestAllowedOver(TestCase):
    def test_allowance(self):
        self.assertEqual(allowed_over(100, 5, 0), Decimal(5))
        self.assertEqual(allowed_over(100, 0, 2), Decimal(2))
        self.assertEqual(allowed_over(100, 0, 0), Decimal(0))
        # Both set: the smaller allowance applies, whichever it is.
        self.assertEqual(allowed_over(100, 5, 2), Decimal(2))
        self.assertEqual(allowed_over(10, 5, 2), Decimal("0.5"))
        self.assertEqual(allowed_over(Decimal("33.33"), 5, 0), Decimal("1.6665"))

    def test_negative_tolerance_refused(self):
        with self.assertRaises(ValueError):
            allowed_over(100, -1, 0)
        with self.assertRaises(ValueError):
            rule(price_tolerance_amount=-1)


class TestPrice(TestCase):
    def test_percent_boundary(self):
        five_percent = rule(price_tolerance_percent=5)
        self.assertIsNone(price_breach(100, "105.00", five_percent))
        self.assertEqual(price_breach(100, "105.01", five_percent), Decimal("5.01"))
        # ORM floats give the same answer.
        self.assertIsNone(price_breach(100.0, 105.0, five_percent))
        self.assertEqual(price_breach(100.0, 105.01, five_percent), Decimal("5.01"))

    def test_amount_boundary(self):
        two = rule(price_tolerance_amount=2)
        self.assertIsNone(price_breach("100.00", "102.00", two))
        self.assertEqual(price_breach("100.00", "102.01", two), Decimal("2.01"))

    def test_both_must_hold(self):
        both = rule(price_tolerance_percent=5, price_tolerance_amount=2)
        self.assertIsNone(price_breach(100, 102, both))
        self.assertEqual(price_breach(100, "102.01", both), Decimal("2.01"))  # within 5 %
        self.assertIsNone(price_breach(10, "10.50", both))
        self.assertEqual(price_breach(10, "10.51", both), Decimal("0.51"))  # within 2.00

    def test_no_tolerance(self):
        none = rule()
        self.assertIsNone(price_breach(100, 100, none))
        self.assertEqual(price_breach(100, "100.01", none), Decimal("0.01"))

    def test_lower_price_is_never_a_breach(self):
        self.assertIsNone(price_breach(100, 1, rule()))
        self.assertIsNone(price_breach(100, 0, rule(price_tolerance_percent=5)))


class TestQuantity(TestCase):
    def test_percent_boundary(self):
        five_percent = rule(qty_tolerance_percent=5)
        self.assertIsNone(qty_breach(100, 105, five_percent))
        self.assertEqual(qty_breach(100, "105.01", five_percent), Decimal("5.01"))

    def test_units_boundary(self):
        two = rule(qty_tolerance_units=2)
        self.assertIsNone(qty_breach(100, 102, two))
        self.assertEqual(qty_breach(100, "102.01", two), Decimal("2.01"))

    def test_both_and_none(self):
        both = rule(qty_tolerance_percent=10, qty_tolerance_units=1)
        self.assertIsNone(qty_breach(100, 101, both))
        self.assertEqual(qty_breach(100, "101.01", both), Decimal("1.01"))
        self.assertEqual(qty_breach(0, "0.01", rule(qty_tolerance_percent=50)), Decimal("0.01"))
        self.assertIsNone(qty_breach(10, 10, rule()))
        self.assertIsNone(qty_breach(10, 3, rule()))


class TestTotal(TestCase):
    def test_boundary_both_directions(self):
        five_cents = rule(total_tolerance_amount="0.05")
        self.assertIsNone(total_breach(100, "100.05", five_cents))
        self.assertIsNone(total_breach(100, "99.95", five_cents))
        self.assertEqual(total_breach(100, "100.06", five_cents), Decimal("0.06"))
        self.assertEqual(total_breach(100, "99.94", five_cents), Decimal("-0.06"))
        self.assertIsNone(total_breach(100, 100, rule()))
        self.assertEqual(total_breach(100, "100.01", rule()), Decimal("0.01"))

    def test_doctests(self):
        result = doctest.testmod(tolerance)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
