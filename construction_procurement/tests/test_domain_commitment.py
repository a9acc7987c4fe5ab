import doctest
import unittest
from decimal import Decimal

from ..domain import approval, commitment


class TestDomainCommitment(unittest.TestCase):
    def test_line_commitment(self):
        figures = commitment.line_commitment("purchase", 1860, 31, 60, 25, 25)
        self.assertEqual(
            (figures.committed, figures.received, figures.billed, figures.open),
            (Decimal("1860.00"), Decimal("775.00"), Decimal("775.00"), Decimal("1085.00")),
        )
        # A discount: received and billed at the net unit price.
        discounted = commitment.line_commitment("purchase", 900, 10, 100, 50, 0)
        self.assertEqual(discounted.received, Decimal("450.00"))
        # Over-billed: the open commitment never goes negative.
        self.assertEqual(commitment.line_commitment("done", 100, 10, 10, 10, 12).open, Decimal(0))
        for state in ("draft", "sent", "to approve", "cancel"):
            self.assertEqual(commitment.line_commitment(state, 100, 10, 10, 0, 0).committed, 0)

    def test_progress_and_over_receipt(self):
        self.assertEqual(commitment.progress_quantity(1000, percent=25), 250.0)
        with self.assertRaises(ValueError):
            commitment.progress_quantity(10, quantity=1, percent=5)
        self.assertEqual(commitment.over_receipt(100, 105, 5), 0.0)
        self.assertEqual(commitment.over_receipt(100, 105.5, 5), 0.5)
        self.assertEqual(commitment.over_receipt(100, 101, 0), 1.0)

    def test_bands(self):
        bands = [approval.Band(1, 1, 0, 5000), approval.Band(2, 2, 5000, 0)]
        self.assertEqual(approval.band_for(4999.99, bands).rule_id, 1)
        self.assertEqual(approval.band_for(5000, bands).rule_id, 1)
        self.assertEqual(approval.band_for(5000.01, bands).rule_id, 2)
        self.assertIsNone(approval.band_for(10, [approval.Band(1, 1, 100, 0)]))

    def test_doctests(self):
        for module in (commitment, approval):
            result = doctest.testmod(module)
            self.assertGreater(result.attempted, 0)
            self.assertEqual(result.failed, 0)
