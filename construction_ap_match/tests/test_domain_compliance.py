import doctest
import unittest
from datetime import date
from decimal import Decimal

from odoo.addons.construction_ap_match.domain import compliance as c

GL = c.Requirement(1, "GL", "General liability", min_coverage=Decimal(1_000_000))
ULW = c.Requirement(2, "ULW", "Waiver", kind=c.KIND_PAYMENT)
SUB = c.Vendor(7, is_subcontractor=True)
DAY = date(2026, 12, 15)


def cert(**values):
    return c.Document(
        **{"id": 1, "requirement_id": 1, "state": "accepted", "coverage": Decimal(2_000_000)}
        | values
    )


class TestDomainCompliance(unittest.TestCase):
    def test_doctests(self):
        failures, _tests = doctest.testmod(c)
        self.assertEqual(failures, 0)

    def test_expiry_day_included_day_after_not(self):
        doc = cert(expiry_date=DAY)
        self.assertEqual(c.evaluate(SUB, [GL], [doc], DAY).state, c.COMPLIANT)
        gap = c.evaluate(SUB, [GL], [doc], date(2026, 12, 16)).gaps[0]
        self.assertEqual((gap.problem, gap.expiry_date), (c.EXPIRED, DAY))

    def test_job_specific_certificate_counts_on_its_job_only(self):
        doc = cert(job_id=5)
        self.assertEqual(c.evaluate(SUB, [GL], [doc], DAY, jobs=[5]).state, c.COMPLIANT)
        self.assertEqual(c.evaluate(SUB, [GL], [doc], DAY, jobs=[6]).gaps[0].problem, c.MISSING)
        self.assertEqual(c.evaluate(SUB, [GL], [doc], DAY).gaps[0].problem, c.MISSING)

    def test_coverage_below_minimum(self):
        gap = c.evaluate(SUB, [GL], [cert(coverage=Decimal(500_000))], DAY).gaps[0]
        self.assertEqual(
            (gap.problem, gap.coverage, gap.required), (c.INSUFFICIENT, 500_000, 1_000_000)
        )

    def test_waiver_of_previous_payment(self):
        previous = {5: c.PreviousPayment(40, "PAY/40", date(2026, 12, 1))}
        self.assertEqual(c.evaluate(SUB, [ULW], [], DAY, jobs=[5]).state, c.COMPLIANT)
        gap = c.evaluate(SUB, [ULW], [], DAY, jobs=[5], previous_payments=previous).gaps[0]
        self.assertEqual((gap.problem, gap.payment_name), (c.WAIVER_MISSING, "PAY/40"))
        by_payment = c.Document(3, 2, "accepted", job_id=5, payment_id=40)
        through = c.Document(4, 2, "accepted", job_id=5, through_date=date(2026, 12, 1))
        early = c.Document(5, 2, "accepted", job_id=5, through_date=date(2026, 11, 30))
        for doc, state in (
            (by_payment, c.COMPLIANT),
            (through, c.COMPLIANT),
            (early, c.NON_COMPLIANT),
        ):
            result = c.evaluate(SUB, [ULW], [doc], DAY, jobs=[5], previous_payments=previous)
            self.assertEqual(result.state, state, doc)

    def test_not_concerned_vendor(self):
        self.assertEqual(
            c.evaluate(
                c.Vendor(8), [GL.__class__(1, "GL", "GL", applies_to="subcontractors")], [], DAY
            ).state,
            c.NONE,
        )
