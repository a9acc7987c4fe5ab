from odoo import Command
from odoo.tests import tagged

from .common import JobCostCase

COLUMNS = (
    "original_budget",
    "approved_changes",
    "revised_budget",
    "pending_changes",
    "committed",
    "actual",
    "committed_actual",
    "estimate_to_complete",
    "estimate_at_completion",
    "variance",
    "percent_spent",
)

# The worked example of JobCostCase, column by column (COLUMNS order).
TODAY = {
    ("P1", "03-300"): (300000, 0, 300000, 15000, 60000, 90000, 150000, 210000, 300000, 0, 30.0),
    ("P1", "03-310"): (100000, -20000, 80000, 0, 0, 15000, 15000, 65000, 80000, 0, 18.75),
    ("P2", "03-300"): (50000, 20000, 70000, 0, 0, 0, 0, 70000, 70000, 0, 0.0),
    ("P2", "05-120"): (
        350000,
        30000,
        380000,
        0,
        240000,
        80000,
        320000,
        330000,
        410000,
        -30000,
        80000 / 3800,
    ),
}
TODAY_TOTALS = (800000, 30000, 830000, 15000, 300000, 185000, 485000, 675000, 860000, -30000)
# 30 days ago: no transfer, no change order, no forecast, only the old bill and time.
EARLIER = {
    ("P1", "03-300"): (300000, 0, 300000, 0, 90000, 60000, 150000, 240000, 300000, 0, 20.0),
    ("P1", "03-310"): (100000, 0, 100000, 0, 0, 10000, 10000, 90000, 100000, 0, 10.0),
    ("P2", "03-300"): (50000, 0, 50000, 0, 0, 0, 0, 50000, 50000, 0, 0.0),
    ("P2", "05-120"): (350000, 0, 350000, 0, 320000, 0, 320000, 350000, 350000, 0, 0.0),
}
EARLIER_TOTALS = (800000, 0, 800000, 0, 410000, 70000, 480000, 730000, 800000, 0)


@tagged("post_install", "-at_install")
class TestJobCostReport(JobCostCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build_worked_example()

    def assert_rows(self, as_of, expected):
        rows = self.report_rows(as_of)
        self.assertEqual(set(rows), set(expected))
        for key, figures in expected.items():
            row = rows[key]
            for column, value in zip(COLUMNS, figures, strict=True):
                self.assertAlmostEqual(row[column], value, places=2, msg=f"{key} {column}")

    def test_lines_today(self):
        self.assert_rows(self.today, TODAY)

    def test_lines_thirty_days_ago(self):
        self.assert_rows(self.as_of_1, EARLIER)

    def test_rollups_by_job_phase_and_cost_type(self):
        """The pivot's sums: by job, by phase and by cost type."""
        Report = self.Report.with_context(job_cost_as_of=str(self.today))
        measures = [f"{c}:sum" for c in COLUMNS[:-1]]
        [(job, *total)] = Report._read_group([("job_id", "=", self.job.id)], ["job_id"], measures)
        self.assertEqual(job, self.job)
        for column, got, want in zip(COLUMNS, total, TODAY_TOTALS, strict=False):
            self.assertAlmostEqual(got, want, places=2, msg=column)
        by_phase = {
            phase.code: (revised, eac)
            for phase, revised, eac in Report._read_group(
                [("job_id", "=", self.job.id)],
                ["phase_id"],
                ["revised_budget:sum", "estimate_at_completion:sum"],
            )
        }
        self.assertEqual(by_phase, {"P1": (380000, 380000), "P2": (450000, 480000)})
        by_type = dict(
            Report._read_group([("job_id", "=", self.job.id)], ["cost_type"], ["actual:sum"])
        )
        self.assertEqual(by_type, {"material": 90000, "labor": 15000, "subcontract": 80000})

    def test_earlier_totals(self):
        Report = self.Report.with_context(job_cost_as_of=str(self.as_of_1))
        measures = [f"{c}:sum" for c in COLUMNS[:-1]]
        [(_job, *total)] = Report._read_group([("job_id", "=", self.job.id)], ["job_id"], measures)
        for column, got, want in zip(COLUMNS, total, EARLIER_TOTALS, strict=False):
            self.assertAlmostEqual(got, want, places=2, msg=column)

    def test_api_body_matches_the_report(self):
        body = self.Report._api_job_cost(self.job, self.today)
        self.assertEqual(body["job"], "J-9001")
        self.assertEqual(body["as_of"], str(self.today))
        self.assertEqual(body["currency"], self.company_a.currency_id.name)
        self.assertEqual(
            [(line["phase"], line["cost_code"]) for line in body["lines"]],
            [("P1", "03-300"), ("P1", "03-310"), ("P2", "03-300"), ("P2", "05-120")],
        )
        steel = body["lines"][3]
        self.assertEqual(
            steel,
            {
                "phase": "P2",
                "cost_code": "05-120",
                "cost_type": "subcontract",
                "original_budget": 350000.0,
                "approved_changes": 30000.0,
                "revised_budget": 380000.0,
                "committed": 240000.0,
                "actual": 80000.0,
                "estimate_to_complete": 330000.0,
                "estimate_at_completion": 410000.0,
                "variance": -30000.0,
                "pending_changes": 0.0,
                "percent_spent": 21.05,
            },
        )
        totals = body["totals"]
        self.assertEqual(
            [totals[key] for key in COLUMNS if key not in ("committed_actual", "percent_spent")],
            [800000, 30000, 830000, 15000, 300000, 185000, 675000, 860000, -30000],
        )
        self.assertEqual(
            {p["phase"]: p["estimate_at_completion"] for p in body["phases"]},
            {"P1": 380000, "P2": 480000},
        )

    def test_job_smart_buttons_and_exposure(self):
        self.job.invalidate_recordset()
        self.assertEqual(self.job.job_cost_budget, 830000)
        self.assertEqual(self.job.job_cost_committed, 300000)
        self.assertEqual(self.job.job_cost_actual, 185000)
        self.assertEqual(self.job.job_cost_eac, 860000)
        self.assertEqual(self.job.pending_change_cost, 15000)
        self.assertEqual(self.job.pending_change_price, 20000)
        self.assertEqual(self.job.contract_value, 1040000)
        self.assertEqual(self.job.change_order_count, 2)

    def test_budget_lines_show_revisions(self):
        steel = self.line_of(self.budget, self.phase_2, self.cc_steel)
        labor = self.line_of(self.budget, self.phase_1, self.cc_labor)
        self.assertEqual((steel.change_order_amount, steel.revised_amount), (30000, 380000))
        self.assertEqual((labor.transfer_amount, labor.revised_amount), (-20000, 80000))
        self.assertEqual(self.budget.revised_total, 830000)
        self.assertEqual(self.budget.original_total, 800000)
        bodies = self.budget.message_ids.mapped("body")
        self.assertTrue(any("Canopy steel" in body for body in bodies))
        self.assertTrue(any("Labor productivity better than estimated" in body for body in bodies))

    def test_drill_down_to_documents(self):
        """From the actual of P1 / 03-300 to its two bills; from committed to the PO line."""
        Report = self.Report.with_context(job_cost_as_of=str(self.today))
        drill = Report.with_context(
            drill_job_id=self.job.id,
            drill_phase_id=self.phase_1.id,
            drill_cost_code_id=self.cc_concrete.id,
        )
        action = drill.action_open_actual()
        lines = self.env["account.analytic.line"].search(action["domain"])
        self.assertEqual(sum(lines.mapped("amount")), -90000)
        self.assertEqual(lines.move_line_id.move_id, self.bill_old | self.bill_new)
        # The job's project manager sees the same lines (not only timesheets).
        self.assertEqual(
            self.env["account.analytic.line"].with_user(self.user_pm).search(action["domain"]),
            lines,
        )
        opened = lines.filtered(lambda line: line.move_line_id.move_id == self.bill_old)
        source = opened.action_open_job_cost_source()
        self.assertEqual(
            (source["res_model"], source["res_id"]), ("account.move", self.bill_old.id)
        )
        committed = drill.action_open_committed()
        self.assertEqual(self.env["purchase.order.line"].search(committed["domain"]), self.po_line)
        # 30 days ago only the first bill counted.
        earlier = drill.with_context(job_cost_as_of=str(self.as_of_1)).action_open_actual()
        self.assertEqual(
            self.env["account.analytic.line"].search(earlier["domain"]).move_line_id.move_id,
            self.bill_old,
        )

    def test_plain_purchase_and_bill_stay_out(self):
        """A PO and bill without a job change nothing in the report."""
        before = self.report_rows(self.today)
        plain = (
            self.env["purchase.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.vendor_b.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.rebar.id, "product_qty": 5, "price_unit": 10}
                        )
                    ],
                }
            )
        )
        plain.button_confirm()
        self.assertEqual(plain.state, "purchase")
        after = self.report_rows(self.today)
        self.assertEqual(
            {k: r.estimate_at_completion for k, r in after.items()},
            {k: r.estimate_at_completion for k, r in before.items()},
        )

    def test_rows_read_by_id(self):
        """A row browsed by its id (a form, a button) reads the same figures;
        its id holds its job."""
        rows = self.report_rows(self.today)
        steel = rows[("P2", "05-120")]
        self.assertEqual(steel.id >> 32, self.job.id)
        again = self.Report.with_context(job_cost_as_of=str(self.today)).browse(steel.id)
        self.assertEqual(
            (again.job_id, again.phase_id, again.cost_code_id, again.estimate_at_completion),
            (self.job, self.phase_2, self.cc_steel, 410000),
        )
        self.assertEqual(len({row.id for row in rows.values()}), 4)
