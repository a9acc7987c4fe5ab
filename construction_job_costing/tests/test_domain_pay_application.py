import doctest
import unittest
from decimal import Decimal as D

from odoo.addons.construction_job_costing.domain import pay_application
from odoo.addons.construction_job_costing.domain.pay_application import (
    BELOW_ZERO,
    OVER_SCHEDULED,
    LineInput,
    RetainageTerms,
    allocate,
    compute_application,
    line_problem,
)

# 10 % on work until 50 % complete, 5 % after; 5 % on stored materials.
TERMS = RetainageTerms.of(10, 5, 5, 50)


class TestPayApplicationArithmetic(unittest.TestCase):
    """The worked example of tests/test_pay_application.py, without a database.

    Schedule: 1 General conditions 100,000; 2 Foundations 300,000; 3 Structure
    600,000 + change order 50,000 = 650,000. Contract sum to date 1,050,000,
    the reduction point 525,000.
    """

    def application_1(self):
        lines = [
            LineInput("1", D(100000), D(0), work_this_period=D(40000)),
            LineInput("2", D(300000), D(0), work_this_period=D(150000), stored_materials=D(20000)),
            LineInput(
                "3", D(600000), D(50000), work_this_period=D(100000), stored_materials=D(60000)
            ),
        ]
        return lines, compute_application(lines, TERMS)

    def application_2(self):
        (_l1, (results_1, summary_1)) = self.application_1()
        previous = {result.key: result for result in results_1}
        entered = {"1": (30000, 0), "2": (120000, 10000), "3": (250000, 40000)}
        originals = {"1": (100000, 0), "2": (300000, 0), "3": (600000, 50000)}
        lines = [
            LineInput(
                key,
                D(originals[key][0]),
                D(originals[key][1]),
                previous_work=previous[key].previous_work + previous[key].work_this_period,
                previous_stored=previous[key].stored_materials,
                previous_work_retainage=previous[key].work_retainage,
                work_this_period=D(work),
                stored_materials=D(stored),
            )
            for key, (work, stored) in entered.items()
        ]
        return compute_application(
            lines,
            TERMS,
            previous_certificates=summary_1.total_earned_less_retainage,
            previous_retainage=summary_1.retainage,
        )

    def columns(self, result):
        return (
            result.scheduled_value,
            result.previous_work,
            result.work_this_period,
            result.stored_materials,
            result.total_completed,
            result.percent_complete,
            result.balance_to_finish,
            result.retainage,
        )

    def test_application_1_below_the_reduction_point(self):
        _lines, (results, summary) = self.application_1()
        # C, D, E, F, G, G/C %, H, I
        self.assertEqual(
            [self.columns(result) for result in results],
            [
                (100000, 0, 40000, 0, 40000, D("40.00"), 60000, D("4000.00")),
                (300000, 0, 150000, 20000, 170000, D("56.67"), 130000, D("16000.00")),
                (650000, 0, 100000, 60000, 160000, D("24.62"), 490000, D("13000.00")),
            ],
        )
        self.assertEqual(
            (
                summary.original_contract_sum,
                summary.net_change_orders,
                summary.contract_sum_to_date,
                summary.total_completed_stored,
                summary.work_retainage,
                summary.stored_retainage,
                summary.retainage,
                summary.total_earned_less_retainage,
                summary.previous_certificates,
                summary.current_payment_due,
                summary.balance_to_finish_with_retainage,
            ),
            (1000000, 50000, 1050000, 370000, 29000, 3000 + 1000, 33000, 337000, 0, 337000, 713000),
        )
        self.assertEqual(
            (summary.billed_this_period, summary.retainage_this_period), (370000, 33000)
        )
        self.assertEqual(summary.percent_complete, D("27.62"))  # 290,000 of work / 1,050,000

    def test_application_2_crosses_the_reduction_point(self):
        results, summary = self.application_2()
        self.assertEqual(
            [self.columns(result) for result in results],
            [
                (100000, 40000, 30000, 0, 70000, D("70.00"), 30000, D("6381.25")),
                (300000, 150000, 120000, 10000, 280000, D("93.33"), 20000, D("25025.00")),
                (650000, 100000, 250000, 40000, 390000, D("60.00"), 260000, D("31843.75")),
            ],
        )
        # Work 690,000: 10 % of 525,000 + 5 % of 165,000 = 60,750; stored 50,000 at 5 %.
        self.assertEqual(summary.work_retainage, D("60750.00"))
        self.assertEqual(summary.stored_retainage, D("2500.00"))
        self.assertEqual(
            (
                summary.total_completed_stored,
                summary.retainage,
                summary.total_earned_less_retainage,
                summary.previous_certificates,
                summary.current_payment_due,
                summary.balance_to_finish_with_retainage,
            ),
            (740000, D("63250.00"), D("676750.00"), 337000, D("339750.00"), D("373250.00")),
        )
        # Billed this period per line: G less D less what was stored before.
        self.assertEqual([r.billed_this_period for r in results], [30000, 110000, 230000])
        self.assertEqual(summary.billed_this_period, 370000)
        self.assertEqual(summary.retainage_this_period, D("30250.00"))
        self.assertEqual(
            summary.billed_this_period - summary.retainage_this_period,
            summary.current_payment_due,
        )

    def test_work_retainage_tiers(self):
        self.assertEqual(TERMS.work_retainage(0, 1000000), 0)
        self.assertEqual(TERMS.work_retainage(500000, 1000000), 50000)  # exactly at 50 %
        self.assertEqual(TERMS.work_retainage(500001, 1000000), D("50000.05"))
        self.assertEqual(TERMS.work_retainage(1000000, 1000000), 75000)
        flat = RetainageTerms.of(10, 0)
        self.assertEqual(flat.work_retainage(1000000, 1000000), 100000)
        # A reduction without its rate (or point) is no reduction.
        self.assertEqual(RetainageTerms.of(10, 0, None, 50), flat)
        self.assertEqual(RetainageTerms.of(10, 0, 5, 0), flat)
        self.assertEqual(RetainageTerms.of(10, 0, 0, 50).work_retainage(700000, 1000000), 50000)

    def test_installed_stored_materials_and_a_release(self):
        """Stored materials installed move from F into E; the retainage may fall."""
        line = LineInput(
            "1",
            D(100000),
            previous_work=D(10000),
            previous_stored=D(20000),
            previous_work_retainage=D(1000),
            work_this_period=D(20000),
            stored_materials=D(0),
        )
        terms = RetainageTerms.of(0, 10)
        [result], summary = compute_application(
            [line], terms, previous_certificates=D(27000), previous_retainage=D(3000)
        )
        self.assertEqual(result.billed_this_period, 0)
        self.assertEqual(result.retainage, 0)
        self.assertEqual(summary.retainage_this_period, -3000)
        self.assertEqual(summary.current_payment_due, 3000)

    def test_allocation_adds_up(self):
        parts = allocate(D("100.00"), [1, 2, 3, 4, 5, 6, 7])
        self.assertEqual(sum(parts), D("100.00"))
        self.assertEqual(allocate(D("-0.05"), [1, 1]), [D("-0.02"), D("-0.03")])

    def test_line_problems(self):
        base = {"original_value": D(100), "previous_work": D(40)}
        self.assertIsNone(line_problem(LineInput("1", work_this_period=D(60), **base)))
        self.assertEqual(
            line_problem(LineInput("1", work_this_period=D("60.01"), **base)), OVER_SCHEDULED
        )
        self.assertEqual(
            line_problem(LineInput("1", work_this_period=D(50), stored_materials=D(11), **base)),
            OVER_SCHEDULED,
        )
        self.assertEqual(line_problem(LineInput("1", work_this_period=D(-41), **base)), BELOW_ZERO)
        # A deduct line (negative scheduled value) bills down to its value.
        deduct = {"original_value": D(0), "change_order_value": D(-500)}
        self.assertIsNone(line_problem(LineInput("1", work_this_period=D(-500), **deduct)))
        self.assertEqual(
            line_problem(LineInput("1", work_this_period=D(-501), **deduct)), OVER_SCHEDULED
        )

    def test_doctests(self):
        failed, attempted = doctest.testmod(pay_application)
        self.assertEqual(failed, 0)
        self.assertGreater(attempted, 10)

    def test_terms_problems(self):
        self.assertEqual(RetainageTerms.of(10, 5, 5, 50).problems(), [])
        self.assertEqual(
            RetainageTerms.of(101, -1).problems(),
            [
                ("work_percent", "must be between 0 and 100"),
                ("stored_percent", "must be between 0 and 100"),
            ],
        )
        self.assertEqual(
            RetainageTerms.of(10, 5, 5, 150).problems(),
            [("reduction_at_percent", "must be between 0 and 100")],
        )
