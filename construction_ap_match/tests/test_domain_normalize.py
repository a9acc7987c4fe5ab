import doctest
from decimal import Decimal

from ..domain import normalize
from ..domain.normalize import as_decimal, convert_price, normalize_invoice_number, to_po_uom

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

BOX_OF_12 = 1 / 12  # uom.uom.factor of a box of 12 in the Units category, as Odoo stores it
UNIT = 1.0


class TestInvoiceNumber(TestCase):
    def test_examples(self):
        for raw, expected in (
            ("INV-000123", "inv123"),
            ("inv 123", "inv123"),
            ("0042/A", "42a"),
            ("000", "0"),
            ("INV_12.3", "inv123"),
            ("Inv/0123", "inv123"),
            ("A-007-B-0", "a7b0"),
            ("INV\u2013000123", "inv123"),  # en dash
            (" inv\t123\u00a0", "inv123"),  # tab and no-break space
            ("2024\\0005", "20240005"),
        ):
            with self.subTest(raw=raw):
                self.assertEqual(normalize_invoice_number(raw), expected)

    def test_spellings_of_one_number_are_equal(self):
        spellings = ["INV-000123", "inv 123", "Inv/0123", "INV.123", "inv_00123"]
        self.assertEqual({normalize_invoice_number(s) for s in spellings}, {"inv123"})
        # Separators go before zeros: the digits they split form one run.
        self.assertEqual(normalize_invoice_number("12-0034"), normalize_invoice_number("120034"))
        self.assertNotEqual(
            normalize_invoice_number("INV-123"), normalize_invoice_number("INV-124")
        )

    def test_empty(self):
        for empty in (None, "", False):
            self.assertEqual(normalize_invoice_number(empty), "")
        self.assertEqual(normalize_invoice_number(" - / "), "")


class TestNumbers(TestCase):
    def test_as_decimal(self):
        self.assertEqual(as_decimal(0.1), Decimal("0.1"))
        self.assertEqual(as_decimal(105.01), Decimal("105.01"))
        self.assertEqual(as_decimal(False), Decimal(0))
        self.assertEqual(as_decimal(None), Decimal(0))
        self.assertEqual(as_decimal(7), Decimal(7))
        self.assertEqual(as_decimal(" 12.50 "), Decimal("12.50"))
        with self.assertRaises(ValueError):
            as_decimal(float("nan"))
        with self.assertRaises(TypeError):
            as_decimal(True)
        self.assertIsNone(normalize.optional_decimal(None))
        self.assertEqual(normalize.optional_decimal(0.0), Decimal("0.0"))


class TestUnits(TestCase):
    def test_box_of_12_to_units(self):
        self.assertEqual(to_po_uom(2, BOX_OF_12, UNIT), Decimal(24))
        # The same with an exact Decimal 1/12: no representation error left either.
        self.assertEqual(to_po_uom(2, Decimal(1) / Decimal(12), 1), Decimal(24))
        self.assertEqual(to_po_uom(1_000_000, BOX_OF_12, UNIT), Decimal(12_000_000))

    def test_units_to_box(self):
        self.assertEqual(to_po_uom(30, UNIT, BOX_OF_12), Decimal("2.5"))
        # Rounded to the PO unit's rounding away from zero, as Odoo's default 'UP'.
        self.assertEqual(to_po_uom(10, UNIT, BOX_OF_12, rounding="0.01"), Decimal("0.84"))
        self.assertEqual(to_po_uom(24, UNIT, BOX_OF_12, rounding="0.01"), Decimal("2.00"))

    def test_smaller_unit(self):
        # A gram has factor 1000 in the kg category.
        self.assertEqual(to_po_uom(1500, 1000, 1), Decimal("1.5"))
        self.assertEqual(to_po_uom("1.5", 1, 1000), Decimal(1500))

    def test_bad_factor(self):
        with self.assertRaises(ValueError):
            to_po_uom(1, 0, 1)
        with self.assertRaises(ValueError):
            convert_price(1, 1, -1)
        with self.assertRaises(ValueError):
            to_po_uom(1, 1, 1, rounding=0)

    def test_price_per_box_is_12_times_price_per_unit(self):
        self.assertEqual(convert_price(120, BOX_OF_12, UNIT), Decimal(10))
        self.assertEqual(convert_price(10, UNIT, BOX_OF_12), Decimal(120))
        self.assertEqual(convert_price("121.20", BOX_OF_12, UNIT), Decimal("10.10"))

    def test_currency(self):
        # amount_po = amount_bill * rate
        self.assertEqual(convert_price("9.00", 1, 1, rate="1.1"), Decimal("9.90"))
        # Unit and currency at once: 108 EUR per box of 12 at 1.1 USD per EUR.
        self.assertEqual(convert_price(108, BOX_OF_12, UNIT, rate="1.1"), Decimal("9.9"))
        self.assertEqual(
            convert_price(100, 1, 1, rate="1.08372", rounding="0.01"), Decimal("108.37")
        )

    def test_doctests(self):
        result = doctest.testmod(normalize)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
