import doctest
from datetime import date
from decimal import Decimal

from ..domain import wip
from ..domain.wip import WipInput, completion_ratio, contract_as_of, wip_body, wip_line, wip_totals

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

D = Decimal


class TestWipArithmetic(TestCase):
    """The WIP figures of one job and of the totals, without a database."""

    def test_docstrings(self):
        failures, _tests = doctest.testmod(wip)
        self.assertEqual(failures, 0)

    def test_contract_as_of_takes_out_later_change_orders(self):
        self.assertEqual(contract_as_of(1_040_000, 40_000), D(1_000_000))
        self.assertEqual(contract_as_of(1_000_000, None), D(1_000_000))

    def test_percent_complete_is_cost_to_cost_between_0_and_100(self):
        self.assertEqual(completion_ratio(185_000, 860_000), D(185_000) / D(860_000))
        self.assertEqual(completion_ratio(5, 0), 0)
        self.assertEqual(completion_ratio(5, -10), 0)
        self.assertEqual(completion_ratio(-5, 10), 0)
        self.assertEqual(completion_ratio(15, 10), 1)
        self.assertEqual(wip_line(1000, 0, 0, 0).percent_complete, D("0.00"))

    def test_under_billed_job(self):
        line = wip_line(1_040_000, 860_000, 185_000, 150_000)
        self.assertEqual(line.percent_complete, D("21.51"))
        # 185,000 / 860,000 x 1,040,000 = 223,720.93 (from the unrounded ratio)
        self.assertEqual(line.earned_revenue, D("223720.93"))
        self.assertEqual((line.over_billing, line.under_billing), (D("0.00"), D("73720.93")))
        self.assertEqual(line.cost_to_complete, D("675000.00"))
        self.assertEqual(line.gross_profit, D("180000.00"))
        self.assertEqual(line.margin_percent, D("17.31"))
        self.assertEqual(line.loss_provision, D("0.00"))
        self.assertEqual(line.gross_profit_to_date, D("38720.93"))

    def test_over_billed_job(self):
        line = wip_line(500_000, 400_000, 100_000, 200_000)
        self.assertEqual(
            (line.percent_complete, line.earned_revenue, line.over_billing, line.under_billing),
            (D("25.00"), D("125000.00"), D("75000.00"), D("0.00")),
        )
        self.assertEqual(line.gross_profit_to_date, D("25000.00"))

    def test_loss_job_shows_its_whole_loss_at_once(self):
        # Contract 200,000, EAC 250,000, 40 % complete: a loss of 50,000.
        line = wip_line(200_000, 250_000, 100_000, 60_000)
        self.assertEqual(line.percent_complete, D("40.00"))
        self.assertEqual(line.earned_revenue, D("80000.00"))
        self.assertEqual(line.gross_profit, D("-50000.00"))
        self.assertEqual(line.margin_percent, D("-25.00"))
        # (250,000 - 200,000) x (1 - 0.40)
        self.assertEqual(line.loss_provision, D("30000.00"))
        self.assertEqual(line.gross_profit_to_date, D("-50000.00"))
        self.assertEqual(line.under_billing, D("20000.00"))

    def test_loss_before_any_cost_and_a_job_without_contract(self):
        line = wip_line(100, 130, 0, 0)
        self.assertEqual(
            (line.loss_provision, line.gross_profit_to_date), (D("30.00"), D("-30.00"))
        )
        line = wip_line(0, 500, 100, 0)
        self.assertEqual((line.earned_revenue, line.margin_percent), (D("0.00"), D("0")))
        self.assertEqual(line.gross_profit_to_date, D("-500.00"))

    def test_rounding_keeps_the_identities_to_the_cent(self):
        line = wip_line("1000.005", "333.333", "111.111", "0.004")
        self.assertEqual(line.contract_value, D("1000.01"))
        self.assertEqual(line.cost_to_complete, line.estimated_cost - line.cost_to_date)
        self.assertEqual(
            line.over_billing - line.under_billing, line.billed_to_date - line.earned_revenue
        )
        self.assertEqual(line.gross_profit, line.contract_value - line.estimated_cost)
        # A currency without decimals.
        line = wip_line(1_000_001, 3, 1, 0, rounding="1")
        self.assertEqual(line.earned_revenue, D(333_334))

    def test_totals_sum_lines_and_recompute_percentages(self):
        lines = [
            wip_line(500_000, 400_000, 100_000, 200_000),  # over 75,000
            wip_line(200_000, 250_000, 100_000, 60_000),  # under 20,000, loss
        ]
        total = wip_totals(lines)
        self.assertEqual(total.contract_value, D("700000.00"))
        self.assertEqual((total.over_billing, total.under_billing), (D("75000.00"), D("20000.00")))
        self.assertEqual(total.percent_complete, D("30.77"))  # 200,000 / 650,000
        self.assertEqual(total.margin_percent, D("7.14"))  # 50,000 / 700,000
        self.assertEqual(total.gross_profit_to_date, D("-25000.00"))
        self.assertEqual(wip_totals([]).percent_complete, D("0.00"))

    def test_body_has_the_contract_keys(self):
        body = wip_body(
            date(2026, 11, 30),
            "GC",
            "USD",
            [WipInput("J-1", "Tower", 500_000, 400_000, 100_000, 200_000)],
        )
        self.assertEqual(set(body), {"as_of", "company", "currency", "jobs", "totals"})
        self.assertLessEqual(set(wip.CONTRACT_FIGURES) | {"job"}, set(body["jobs"][0]))
        self.assertLessEqual(set(wip.CONTRACT_FIGURES), set(body["totals"]))
        self.assertEqual(body["jobs"][0]["over_billing"], 75000.0)
        self.assertIsInstance(body["jobs"][0]["percent_complete"], float)
        body = wip_body(date(2026, 11, 30), "GC", "JPY", [WipInput("J-1", "T", 7, 2, 1, 0)], "1")
        self.assertEqual(body["jobs"][0]["earned_revenue"], 4)
        self.assertIsInstance(body["jobs"][0]["earned_revenue"], int)
