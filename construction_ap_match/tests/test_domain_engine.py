from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ..domain import engine
from ..domain.engine import Bill, BillLine, OtherBill, POLine, find_duplicates, match_bill
from ..domain.normalize import convert_price, to_po_uom
from ..domain.rules import MatchRule

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

COMPANY, VENDOR, OTHER_VENDOR = 1, 70, 71
ORDER, OTHER_ORDER = 500, 501
JOB, PHASE, COST_CODE, CATEG = 900, 80, 61, 30
BOX_OF_12, UNIT = 1 / 12, 1.0

STRICT = MatchRule(id=0, sequence=0, company_id=COMPANY)  # three-way, no tolerance, block


def rule(**values):
    return MatchRule(**{"id": 1, "sequence": 10, "company_id": COMPANY, **values})


def po_line(line_id=1, qty=10, received=10, elsewhere=0, price="10.00", **values):
    order_id = values.pop("order_id", ORDER)
    return POLine(
        **{
            "id": line_id,
            "order_id": order_id,
            "order_name": "P%05d" % order_id,
            "order_state": "purchase",
            "vendor_id": VENDOR,
            "product_id": 1000 + line_id,
            "qty_ordered": Decimal(qty),
            "qty_received": Decimal(received),
            "qty_billed_elsewhere": Decimal(elsewhere),
            "price_unit": Decimal(price),
            "job_id": JOB,
            "phase_id": PHASE,
            "cost_code_id": COST_CODE,
            "categ_id": CATEG,
            **values,
        }
    )


def bill_line(line_id=11, po_line_id=1, qty=10, price="10.00", **values):
    return BillLine(
        **{
            "id": line_id,
            "sequence": 10,
            "po_line_id": po_line_id,
            "product_id": 1000 + po_line_id if po_line_id else None,
            "quantity": Decimal(qty),
            "price_unit": Decimal(price),
            **values,
        }
    )


def bill(**values):
    return Bill(
        **{
            "id": 100,
            "vendor_id": VENDOR,
            "company_id": COMPANY,
            "currency": "EUR",
            "invoice_number": "INV-1",
            "amount_total_declared": None,
            "amount_untaxed_lines": Decimal(0),
            "purchase_order_ids": (ORDER,),
            **values,
        }
    )


def match(lines, po_lines, match_rule=STRICT, the_bill=None, duplicates=()):
    return match_bill(
        the_bill or bill(),
        lines,
        {line.id: line for line in po_lines},
        lambda bill_line, po_line: match_rule,
        duplicates,
    )


def figures(exception):
    return (exception.reason, exception.expected, exception.actual, exception.variance)


class EngineCase(TestCase):
    def assertOnlyException(self, result, reason, expected, actual, variance, severity="block"):
        """The bill has exactly one exception, with these figures."""
        self.assertEqual(
            [figures(exception) for exception in result.exceptions],
            [(reason, expected, actual, variance)],
        )
        self.assertEqual(result.exceptions[0].severity, severity)
        self.assertEqual(result.status, "blocked" if severity == "block" else "warning")
        return result.exceptions[0]


class TestLineReasons(EngineCase):
    def test_clean_match(self):
        result = match([bill_line()], [po_line()])
        self.assertEqual(result.status, "matched")
        self.assertEqual(result.bill_id, 100)
        self.assertEqual(result.exceptions, ())
        self.assertEqual(
            [(r.line_id, r.po_line_id, r.status, r.exceptions) for r in result.lines],
            [(11, 1, "matched", ())],
        )

    def test_price_over_tolerance_percent(self):
        po_lines = [po_line(price="100.00")]
        five_percent = rule(price_tolerance_percent=5)
        at_tolerance = match([bill_line(price="105.00")], po_lines, five_percent)
        self.assertEqual(at_tolerance.status, "matched")
        result = match([bill_line(price="105.01")], po_lines, five_percent)
        exception = self.assertOnlyException(
            result, "price_over_tolerance", Decimal("100.00"), Decimal("105.01"), Decimal("5.01")
        )
        self.assertEqual(exception.line_id, 11)
        self.assertEqual(
            exception.message,
            "Unit price 105.01 is 5.01 above the price 100.00 of P00500 (tolerance 5.00).",
        )
        self.assertEqual(result.lines[0].status, "exception")
        self.assertEqual(result.lines[0].exceptions, (exception,))

    def test_price_over_tolerance_amount(self):
        po_lines = [po_line(price="100.00")]
        two = rule(price_tolerance_amount=2)
        self.assertEqual(match([bill_line(price="102.00")], po_lines, two).status, "matched")
        result = match([bill_line(price="102.01")], po_lines, two)
        self.assertOnlyException(
            result, "price_over_tolerance", Decimal("100.00"), Decimal("102.01"), Decimal("2.01")
        )
        # A lower price is never an exception.
        self.assertEqual(match([bill_line(price="90.00")], po_lines).status, "matched")

    def test_qty_over_received(self):
        po_lines = [po_line(qty=10, received=6)]
        result = match([bill_line(qty=8)], po_lines)
        exception = self.assertOnlyException(
            result, "qty_over_received", Decimal(6), Decimal(8), Decimal(2)
        )
        self.assertEqual(
            exception.message,
            "Billed quantity 8 (0 on other bills, 8 on this bill) exceeds the received "
            "quantity 6 of P00500 by 2 (tolerance 0).",
        )
        # Two-way matching does not look at receipts.
        self.assertEqual(
            match([bill_line(qty=8)], po_lines, rule(level="two_way")).status, "matched"
        )

    def test_qty_tolerance_boundaries(self):
        po_lines = [po_line(qty=200, received=100)]
        two_units = rule(qty_tolerance_units=2)
        self.assertEqual(match([bill_line(qty=102)], po_lines, two_units).status, "matched")
        result = match([bill_line(qty="102.01")], po_lines, two_units)
        self.assertOnlyException(
            result, "qty_over_received", Decimal(100), Decimal("102.01"), Decimal("2.01")
        )
        five_percent = rule(qty_tolerance_percent=5)
        self.assertEqual(match([bill_line(qty=105)], po_lines, five_percent).status, "matched")
        result = match([bill_line(qty="105.01")], po_lines, five_percent)
        self.assertOnlyException(
            result, "qty_over_received", Decimal(100), Decimal("105.01"), Decimal("5.01")
        )

    def test_qty_over_ordered(self):
        po_lines = [po_line(qty=10, received=10, elsewhere=4)]
        two_way = match([bill_line(qty=7)], po_lines, rule(level="two_way"))
        exception = self.assertOnlyException(
            two_way, "qty_over_ordered", Decimal(10), Decimal(11), Decimal(1)
        )
        self.assertEqual(
            exception.message,
            "Billed quantity 11 (4 on other bills, 7 on this bill) exceeds the ordered "
            "quantity 10 of P00500 by 1 (tolerance 0).",
        )
        # Three-way: over what was received as well as over what was ordered.
        three_way = match([bill_line(qty=7)], po_lines)
        self.assertEqual(
            [figures(exception) for exception in three_way.exceptions],
            [
                ("qty_over_received", Decimal(10), Decimal(11), Decimal(1)),
                ("qty_over_ordered", Decimal(10), Decimal(11), Decimal(1)),
            ],
        )
        # Within the tolerance on the ordered quantity.
        self.assertEqual(
            match(
                [bill_line(qty=7)], po_lines, rule(level="two_way", qty_tolerance_units=1)
            ).status,
            "matched",
        )

    def test_no_purchase_order(self):
        unknown_product = bill_line(po_line_id=None, product_id=4242)
        no_product = bill_line(line_id=12, po_line_id=None, product_id=None)
        result = match([unknown_product, no_product], [po_line()])
        self.assertEqual(
            [(e.line_id, *figures(e)) for e in result.exceptions],
            [
                (11, "no_purchase_order", None, None, None),
                (12, "no_purchase_order", None, None, None),
            ],
        )
        self.assertEqual(
            [e.message for e in result.exceptions],
            [
                "No purchase order line to match: no line of the bill's purchase orders has "
                "product 4242.",
                "No purchase order line to match: the line has no product and no PO line link.",
            ],
        )
        self.assertEqual([r.po_line_id for r in result.lines], [None, None])
        # A link to a line that was not given, and no line of that product either.
        dangling = match([bill_line(po_line_id=9, product_id=None)], [po_line()])
        self.assertEqual(
            dangling.exceptions[0].message,
            "No purchase order line to match: the linked PO line 9 is not available.",
        )

    def test_po_cancelled(self):
        result = match([bill_line(price="99.00", qty=50)], [po_line(order_state="cancel")])
        exception = self.assertOnlyException(result, "po_cancelled", None, None, None)
        self.assertEqual(exception.message, "Purchase order P00500 is cancelled.")

    def test_po_fully_billed(self):
        po_lines = [po_line(qty=10, received=10, elsewhere=10)]
        result = match([bill_line(qty=3)], po_lines)
        exception = self.assertOnlyException(
            result, "po_fully_billed", Decimal(10), Decimal(13), Decimal(3)
        )
        self.assertEqual(
            exception.message,
            "P00500 is already fully billed for this line: 10 ordered, 10 billed on other "
            "bills, this bill adds 3.",
        )
        # A credit against a fully billed line is fine.
        self.assertEqual(match([bill_line(qty=-2)], po_lines).status, "matched")

    def test_vendor_mismatch(self):
        result = match([bill_line()], [po_line(vendor_id=OTHER_VENDOR)])
        exception = self.assertOnlyException(result, "vendor_mismatch", None, None, None)
        self.assertEqual(
            exception.message,
            "The bill's vendor (partner 70) is not the vendor of P00500 (partner 71).",
        )

    def test_coding_mismatch(self):
        recoded = bill_line(job_id=901, phase_id=PHASE, cost_code_id=62)
        result = match([recoded], [po_line()])
        exception = self.assertOnlyException(result, "coding_mismatch", None, None, None)
        self.assertEqual(
            exception.message,
            "Coding differs from P00500: job 901 on the bill, 900 on the PO line; "
            "cost code 62 on the bill, 61 on the PO line.",
        )
        phase_only = match([bill_line(phase_id=81)], [po_line()])
        self.assertEqual(
            phase_only.exceptions[0].message,
            "Coding differs from P00500: phase 81 on the bill, 80 on the PO line.",
        )
        # Coding left empty on the bill line inherits the PO line's; equal coding matches.
        self.assertEqual(match([bill_line()], [po_line()]).status, "matched")
        same = bill_line(job_id=JOB, phase_id=PHASE, cost_code_id=COST_CODE)
        self.assertEqual(match([same], [po_line()]).status, "matched")

    def test_several_reasons_on_one_line(self):
        line = bill_line(qty=12, price="11.00", job_id=901)
        result = match([line], [po_line(vendor_id=OTHER_VENDOR)])
        self.assertEqual(
            [figures(e) for e in result.exceptions],
            [
                ("vendor_mismatch", None, None, None),
                ("coding_mismatch", None, None, None),
                ("price_over_tolerance", Decimal("10.00"), Decimal("11.00"), Decimal("1.00")),
                ("qty_over_received", Decimal(10), Decimal(12), Decimal(2)),
                ("qty_over_ordered", Decimal(10), Decimal(12), Decimal(2)),
            ],
        )

    def test_severity_follows_the_rule(self):
        result = match([bill_line(price="10.01")], [po_line()], rule(action="warn"))
        self.assertOnlyException(
            result,
            "price_over_tolerance",
            Decimal("10.00"),
            Decimal("10.01"),
            Decimal("0.01"),
            severity="warn",
        )
        self.assertFalse(result.blocking)

    def test_rule_per_line(self):
        """The callable decides per line: a tolerant category and a strict one."""
        lenient = rule(id=2, categ_id=31, price_tolerance_percent=10)
        po_lines = [po_line(1, price="100.00"), po_line(2, price="100.00", categ_id=31)]
        lines = [bill_line(11, 1, price="105.00"), bill_line(12, 2, price="105.00")]
        resolver = engine.rule_resolver([lenient], bill(), STRICT)
        result = match_bill(bill(), lines, {p.id: p for p in po_lines}, resolver)
        self.assertEqual([r.status for r in result.lines], ["exception", "matched"])


class TestCumulativeQuantity(EngineCase):
    def test_two_bills(self):
        """The second bill sees the first one's quantity as billed elsewhere."""
        first = match([bill_line(qty=6)], [po_line(qty=10, received=10)])
        self.assertEqual(first.status, "matched")
        # The model passes what other bills hold: 6 from the first bill.
        after_first = [po_line(qty=10, received=10, elsewhere=6)]
        second = match([bill_line(qty=5)], after_first, rule(level="two_way"), bill(id=101))
        self.assertOnlyException(second, "qty_over_ordered", Decimal(10), Decimal(11), Decimal(1))
        self.assertEqual(match([bill_line(qty=4)], after_first).status, "matched")

    def test_two_lines_of_one_bill(self):
        lines = [bill_line(11, qty=6), bill_line(12, qty=5, sequence=20)]
        result = match(lines, [po_line(qty=10, received=10)], rule(level="two_way"))
        self.assertEqual(
            [(e.line_id, *figures(e)) for e in result.exceptions],
            [
                (11, "qty_over_ordered", Decimal(10), Decimal(11), Decimal(1)),
                (12, "qty_over_ordered", Decimal(10), Decimal(11), Decimal(1)),
            ],
        )
        self.assertIn("(0 on other bills, 11 on this bill)", result.exceptions[0].message)

    def test_credit_line_offsets(self):
        lines = [bill_line(11, qty=12), bill_line(12, qty=-2, sequence=20)]
        self.assertEqual(match(lines, [po_line(qty=10, received=10)]).status, "matched")


class TestFindPOLine(EngineCase):
    def test_explicit_link_first(self):
        po_lines = [po_line(1, product_id=7), po_line(2, product_id=7)]
        linked = bill_line(po_line_id=2, product_id=7)
        self.assertEqual(engine.find_po_line(linked, po_lines).id, 2)
        # A link to a line not given falls back on the product.
        self.assertEqual(
            engine.find_po_line(bill_line(po_line_id=99, product_id=7), po_lines).id, 1
        )

    def test_by_product(self):
        po_lines = {
            3: po_line(3, product_id=7, elsewhere=10),  # nothing left to bill
            5: po_line(5, product_id=7),
            4: po_line(4, product_id=7, order_id=OTHER_ORDER),
            6: po_line(6, product_id=7),
        }
        line = bill_line(po_line_id=None, product_id=7)
        self.assertEqual(engine.find_po_line(line, po_lines, [ORDER]).id, 5)
        self.assertEqual(engine.find_po_line(line, po_lines).id, 4)
        # What earlier lines of the bill took counts.
        taken = {5: Decimal(10)}
        self.assertEqual(engine.find_po_line(line, po_lines, [ORDER], taken).id, 6)
        # None with quantity left: the first open one, which will be "fully billed".
        taken = {5: Decimal(10), 6: Decimal(10)}
        self.assertEqual(engine.find_po_line(line, po_lines, [ORDER], taken).id, 3)
        self.assertIsNone(engine.find_po_line(bill_line(po_line_id=None, product_id=8), po_lines))
        self.assertIsNone(
            engine.find_po_line(bill_line(po_line_id=None, product_id=None), po_lines)
        )

    def test_cancelled_lines_come_last(self):
        cancelled = po_line(1, product_id=7, order_state="cancel")
        line = bill_line(po_line_id=None, product_id=7)
        self.assertEqual(engine.find_po_line(line, [cancelled, po_line(2, product_id=7)]).id, 2)
        self.assertEqual(engine.find_po_line(line, [cancelled]).id, 1)
        result = match([line], [cancelled])
        self.assertEqual(result.exceptions[0].reason, "po_cancelled")

    def test_only_the_bills_orders(self):
        po_lines = [po_line(1, product_id=7, order_id=OTHER_ORDER)]
        result = match([bill_line(po_line_id=None, product_id=7)], po_lines)
        self.assertEqual(result.exceptions[0].reason, "no_purchase_order")
        # The order of a linked line is one of the bill's orders.
        lines = [
            bill_line(11, po_line_id=2, product_id=8),
            bill_line(12, po_line_id=None, product_id=7, sequence=20),
        ]
        po_lines.append(po_line(2, product_id=8, order_id=OTHER_ORDER))
        result = match(lines, po_lines, the_bill=bill(purchase_order_ids=()))
        self.assertEqual(
            [(r.po_line_id, r.status) for r in result.lines], [(2, "matched"), (1, "matched")]
        )

    def test_lines_of_one_product_spread_over_po_lines(self):
        po_lines = [po_line(1, product_id=7), po_line(2, product_id=7), po_line(3, product_id=7)]
        lines = [
            bill_line(11, po_line_id=None, product_id=7, sequence=1),
            bill_line(12, po_line_id=None, product_id=7, sequence=2),
            # Linked lines are served first, so line 11 does not take line 1.
            bill_line(13, po_line_id=1, product_id=7, sequence=3),
        ]
        result = match(lines, po_lines)
        self.assertEqual(
            [(r.line_id, r.po_line_id, r.status) for r in result.lines],
            [(11, 2, "matched"), (12, 3, "matched"), (13, 1, "matched")],
        )


class TestConversions(EngineCase):
    """The model converts a bill line into the PO's unit and currency before matching."""

    def converted_line(self, boxes, price_per_box, rate=1):
        return bill_line(
            qty=to_po_uom(boxes, BOX_OF_12, UNIT),
            price=convert_price(price_per_box, BOX_OF_12, UNIT, rate),
        )

    def test_box_of_12_against_units(self):
        po_lines = [po_line(qty=24, received=24, price="10.00")]
        self.assertEqual(match([self.converted_line(2, "120.00")], po_lines).status, "matched")
        result = match([self.converted_line(2, "121.20")], po_lines)
        self.assertOnlyException(
            result, "price_over_tolerance", Decimal("10.00"), Decimal("10.10"), Decimal("0.10")
        )
        self.assertEqual(result.exceptions[0].message[:36], "Unit price 10.10 is 0.10 above the p")
        result = match([self.converted_line(3, "120.00")], po_lines)
        self.assertEqual(
            [figures(e) for e in result.exceptions],
            [
                ("qty_over_received", Decimal(24), Decimal(36), Decimal(12)),
                ("qty_over_ordered", Decimal(24), Decimal(36), Decimal(12)),
            ],
        )

    def test_foreign_currency(self):
        """PO in USD at 10.00 per unit; bill in EUR at 1.1 USD per EUR."""
        po_lines = [po_line(qty=10, received=10, price="10.00")]
        rate = "1.1"
        cheaper = bill_line(price=convert_price("9.00", 1, 1, rate))  # 9.90 USD
        self.assertEqual(match([cheaper], po_lines).status, "matched")
        at_price = bill_line(price=convert_price("9.0909", 1, 1, rate, rounding="0.01"))
        self.assertEqual(match([at_price], po_lines).status, "matched")
        dearer = bill_line(price=convert_price("9.20", 1, 1, rate))  # 10.12 USD
        result = match([dearer], po_lines, rule(price_tolerance_amount="0.12"))
        self.assertEqual(result.status, "matched")
        result = match([dearer], po_lines, rule(price_tolerance_amount="0.11"))
        self.assertOnlyException(
            result, "price_over_tolerance", Decimal("10.00"), Decimal("10.12"), Decimal("0.12")
        )
        # Box of 12 in EUR against units in USD at once: 110 EUR per box = 10.0833 USD per unit.
        both = bill_line(price=convert_price(110, BOX_OF_12, UNIT, rate, rounding="0.0001"))
        result = match([both], po_lines)
        self.assertEqual(figures(result.exceptions[0])[2:], (Decimal("10.0833"), Decimal("0.0833")))


class TestRetention(EngineCase):
    def test_retention_lines_are_skipped(self):
        retention = bill_line(
            12, po_line_id=None, product_id=None, qty=1, price="-50.00", is_retention=True
        )
        linked_retention = bill_line(13, qty=100, price="-1.00", is_retention=True)
        result = match(
            [bill_line(qty=10), retention, linked_retention],
            [po_line(qty=10, received=10)],
            the_bill=bill(amount_untaxed_lines=Decimal("100.00"), amount_total_declared=100),
        )
        self.assertEqual(result.status, "matched")
        self.assertEqual(
            [(r.line_id, r.po_line_id, r.status) for r in result.lines],
            [(11, 1, "matched"), (12, None, "matched"), (13, 1, "matched")],
        )


class TestBillLevel(EngineCase):
    def test_total_mismatch(self):
        five = rule(total_tolerance_amount=5)
        lines, po_lines = [bill_line()], [po_line()]

        def declared(amount):
            the_bill = bill(
                amount_untaxed_lines=Decimal("900.00"),
                amount_tax=Decimal("90.00"),
                amount_total_declared=amount,
            )
            return match(lines, po_lines, five, the_bill)

        self.assertEqual(declared(Decimal("995.00")).status, "matched")
        self.assertEqual(declared(Decimal("985.00")).status, "matched")
        result = declared(Decimal("995.01"))
        exception = self.assertOnlyException(
            result, "total_mismatch", Decimal("990.00"), Decimal("995.01"), Decimal("5.01")
        )
        self.assertIsNone(exception.line_id)
        self.assertEqual(
            exception.message,
            "Declared total 995.01 EUR differs from the lines' total 990.00 EUR by 5.01 "
            "(tolerance 5.00).",
        )
        result = declared(Decimal("984.99"))
        self.assertEqual(figures(result.exceptions[0])[3], Decimal("-5.01"))
        # No declared total: no check.
        self.assertEqual(declared(None).status, "matched")

    def test_bill_level_rule(self):
        the_bill = bill(amount_untaxed_lines=100, amount_total_declared=101)
        seen = []

        def rule_for_line(bill_line, po_line):
            seen.append((bill_line.id, po_line.id if po_line else None))
            return rule(action="warn", total_tolerance_amount=0)

        result = match_bill(the_bill, [bill_line()], {1: po_line()}, rule_for_line)
        self.assertEqual(seen, [(11, 1), (0, None)])  # the bill level asks with BILL_LEVEL_LINE
        self.assertEqual((result.status, result.exceptions[0].severity), ("warning", "warn"))
        given = match_bill(the_bill, [bill_line()], {1: po_line()}, rule_for_line, (), STRICT)
        self.assertEqual(given.status, "blocked")


class TestDuplicates(EngineCase):
    def other(self, bill_id, number, amount="1000.00", day=10, state="posted", **values):
        return OtherBill(
            id=bill_id,
            invoice_number=number,
            amount_total=Decimal(amount),
            invoice_date=date(2025, 3, day),
            state=state,
            **{"vendor_id": VENDOR, **values},
        )

    def test_find_duplicates(self):
        this = self.other(100, "INV-000123", state="draft")
        others = [
            self.other(12, "inv 123", amount="5.00", day=1),  # same number: duplicate
            self.other(13, "INV-999", day=20),  # same amount, 10 days apart
            self.other(14, "INV-998", day=21),  # same amount, 11 days apart
            self.other(15, "INV/0123", state="cancel"),  # cancelled: ignored
            self.other(16, "INV-997", amount="1000.01"),  # another amount
            self.other(17, "INV-123", vendor_id=OTHER_VENDOR),  # another vendor
            self.other(18, "INV-996", currency="USD"),
            this,  # itself
        ]
        found = find_duplicates(this, others, window_days=10)
        self.assertEqual(
            found,
            [
                (12, "duplicate", "inv 123", Decimal("5.00")),
                (13, "possible_duplicate", "INV-999", Decimal("1000.00")),
                (18, "possible_duplicate", "INV-996", Decimal("1000.00")),
            ],
        )
        with_currency = self.other(100, "INV-000123", currency="EUR")
        self.assertEqual([d.bill_id for d in find_duplicates(with_currency, others, 10)], [12, 13])
        self.assertEqual([d.bill_id for d in find_duplicates(this, others, 0)], [12, 18])
        self.assertEqual([d.bill_id for d in find_duplicates(this, others, None)], [12])
        # An empty number is nobody's duplicate.
        empty = self.other(100, "", amount="1.00")
        self.assertEqual(find_duplicates(empty, [self.other(12, None, amount="2")], 10), [])
        # A Bill has no date or amount: numbers only.
        self.assertEqual(
            [d.bill_id for d in find_duplicates(bill(invoice_number="INV-000123"), others, 10)],
            [12],
        )

    def test_severity_is_fixed(self):
        this = self.other(100, "INV-000123", state="draft")
        duplicates = find_duplicates(
            this, [self.other(12, "inv 123"), self.other(13, "INV-999")], 10
        )
        lenient = rule(action="warn")
        the_bill = bill(invoice_number="INV-000123")
        result = match([bill_line()], [po_line()], lenient, the_bill, duplicates)
        self.assertEqual(result.status, "blocked")
        self.assertEqual(
            [(e.line_id, *figures(e), e.severity) for e in result.exceptions],
            [
                (None, "duplicate", None, None, None, "block"),
                (None, "possible_duplicate", None, None, None, "warn"),
            ],
        )
        self.assertEqual(
            [e.message for e in result.exceptions],
            [
                "Invoice number INV-000123 is already used by this vendor's bill 12 (inv 123).",
                "This vendor's bill 13 (INV-999), under another number, has the same amount "
                "1000.00 within the duplicate window.",
            ],
        )
        # A possible duplicate only warns, even under a blocking rule; plain tuples work.
        result = match(
            [bill_line()], [po_line()], STRICT, the_bill, [(13, "possible_duplicate", "X")]
        )
        self.assertEqual((result.status, result.exceptions[0].severity), ("warning", "warn"))
        self.assertEqual(
            result.exceptions[0].message,
            "This vendor's bill 13 (X), under another number, has the same amount within "
            "the duplicate window.",
        )

    def test_one_exception_per_kind(self):
        duplicates = [(12, "duplicate", "INV 1"), (14, "duplicate", "inv-01")]
        result = match([bill_line()], [po_line()], duplicates=duplicates)
        self.assertEqual(
            [e.message for e in result.exceptions],
            [
                "Invoice number INV-1 is already used by this vendor's bills "
                "12 (INV 1), 14 (inv-01)."
            ],
        )
        with self.assertRaises(ValueError):
            match([bill_line()], [po_line()], duplicates=[(12, "twin", "INV 1")])


class CountingMapping(Mapping):
    """PO lines by id, counting how often the engine reads them."""

    def __init__(self, lines):
        self._lines = lines
        self.lookups = 0
        self.scans = 0

    def __getitem__(self, key):
        self.lookups += 1
        return self._lines[key]

    def get(self, key, default=None):
        self.lookups += 1
        return self._lines.get(key, default)

    def __iter__(self):
        self.scans += 1
        return iter(self._lines)

    def values(self):
        self.scans += 1
        return self._lines.values()

    def __len__(self):
        return len(self._lines)


class TestLinear(EngineCase):
    SIZE = 2000

    def test_2000_lines_over_2000_po_lines(self):
        """Each line finds its PO line through the index: the PO lines are read once,
        never scanned per line (a per-line scan would be 4,000,000 steps)."""
        po_lines = CountingMapping(
            {i: po_line(i, qty=5, received=5) for i in range(1, self.SIZE + 1)}
        )
        linked = [bill_line(10_000 + i, i, qty=5, sequence=i) for i in range(1, self.SIZE + 1)]
        by_product = [
            bill_line(10_000 + i, None, qty=5, sequence=i, product_id=1000 + i)
            for i in range(1, self.SIZE + 1)
        ]
        for lines in (linked, by_product):
            po_lines.scans = po_lines.lookups = 0
            result = match_bill(bill(), lines, po_lines, lambda bill_line, po_line: STRICT)
            self.assertEqual(result.status, "matched")
            self.assertEqual(len(result.lines), self.SIZE)
            self.assertEqual(result.lines[-1].po_line_id, self.SIZE)
            self.assertEqual(po_lines.scans, 1)
            self.assertEqual(po_lines.lookups, 0)

    def test_shared_index_and_one_product(self):
        """2,000 unlinked lines of one product over 2,000 PO lines of that product:
        the picker's cursor only moves forward, so this stays linear too."""
        index = engine.POLineIndex(
            po_line(i, qty=1, received=1, product_id=7) for i in range(1, self.SIZE + 1)
        )
        self.assertEqual(len(index), self.SIZE)
        lines = [
            bill_line(10_000 + i, None, qty=1, sequence=i, product_id=7)
            for i in range(1, self.SIZE + 1)
        ]
        result = match_bill(bill(), lines, index, lambda bill_line, po_line: STRICT)
        self.assertEqual(result.status, "matched")
        self.assertEqual([r.po_line_id for r in result.lines], list(range(1, self.SIZE + 1)))
        # One more line than there is quantity: it lands on the first line, over-billed.
        extra = bill_line(99_999, None, qty=1, sequence=self.SIZE + 1, product_id=7)
        result = match_bill(bill(), [*lines, extra], index, lambda bill_line, po_line: STRICT)
        self.assertEqual(result.lines[-1].po_line_id, 1)
        self.assertEqual(
            [(e.line_id, e.reason) for e in result.exceptions],
            [
                (10_001, "qty_over_received"),
                (10_001, "qty_over_ordered"),
                (99_999, "qty_over_received"),
                (99_999, "qty_over_ordered"),
            ],
        )


class TestResultShape(EngineCase):
    def test_lines_in_sequence_order_and_ids_from_orm(self):
        lines = [
            bill_line(13, 1, qty=1, sequence=30),
            bill_line(11, 1, qty=1, sequence=10),
            bill_line(12, 1, qty=1, sequence=10),
        ]
        result = match(lines, [po_line()])
        self.assertEqual([r.line_id for r in result.lines], [11, 12, 13])
        # Empty many2one values read from the ORM (False) mean "not set".
        line = BillLine(11, 10, False, False, 1.0, 10.0, False, False, False)
        self.assertEqual(
            (line.po_line_id, line.job_id, line.quantity), (None, None, Decimal("1.0"))
        )
        with self.assertRaises(ValueError):
            po_line(order_state="confirmed")

    def test_reason_constants(self):
        self.assertEqual(
            [reason for reason, _label in engine.REASONS],
            [
                "price_over_tolerance",
                "qty_over_received",
                "qty_over_ordered",
                "no_purchase_order",
                "po_cancelled",
                "po_fully_billed",
                "vendor_mismatch",
                "coding_mismatch",
                "total_mismatch",
                "possible_duplicate",
                "duplicate",
            ],
        )
