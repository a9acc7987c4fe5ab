from datetime import timedelta

from lxml import html

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..domain.wip import wip_line
from .common import JobCostCase

REPORT = "construction_job_costing.action_report_wip"
# The figures of a WIP line, in the contract's order.
FIGURES = (
    "contract_value",
    "estimated_cost",
    "cost_to_date",
    "percent_complete",
    "earned_revenue",
    "billed_to_date",
    "over_billing",
    "under_billing",
    "cost_to_complete",
    "gross_profit",
    "margin_percent",
    "loss_provision",
    "gross_profit_to_date",
)

# The WIP example of WipCase, figure by figure (FIGURES order).
# J-9001 as of 30 days ago: 70,000 / 800,000 = 8.75 % of a 1,000,000 contract
# (the change order of today not yet approved); billed 250,000.
J9001_EARLIER = (
    1_000_000,
    800_000,
    70_000,
    8.75,
    87_500,
    250_000,
    162_500,
    0,
    730_000,
    200_000,
    20.0,
    0,
    17_500,
)
# J-9001 today: 185,000 / 860,000 of 1,040,000; billed 250,000 + 50,000 - 10,000.
J9001_TODAY = (
    1_040_000,
    860_000,
    185_000,
    21.51,
    223_720.93,
    290_000,
    66_279.07,
    0,
    675_000,
    180_000,
    17.31,
    0,
    38_720.93,
)
# J-9002, the loss job: contract 100,000, EAC 120,000; 30,000 of cost then
# (25 %), 60,000 today (50 %), billed 40,000 today through the analytic
# distribution. Its gross profit to date is the whole loss of 20,000 on both dates.
J9002_EARLIER = (100_000, 120_000, 30_000, 25.0, 25_000, 0, 0, 25_000, 90_000, -20_000, -20.0,
                 15_000, -20_000)  # fmt: skip
J9002_TODAY = (100_000, 120_000, 60_000, 50.0, 50_000, 40_000, 0, 10_000, 60_000, -20_000, -20.0,
               10_000, -20_000)  # fmt: skip


class WipCase(JobCostCase):
    """The WIP example, on the worked example of the job cost report:

    - J-9001 (contract 1,000,000, +40,000 by the change order approved today):
      invoice INV-1 of 250,000 40 days ago; today invoice INV-2 of 50,000 plus
      10 % tax, with a retention line of -5,000, and a credit note of 10,000;
    - J-9002 (contract 100,000): budget 120,000 of labor, 600 h at 50/h 40 days
      ago and 600 h today; an invoice of 40,000 today whose line names no job
      but goes to the job's analytic account;
    - a draft invoice of 99,999 on J-9001 and a vendor bill never count.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wip = cls.env["construction.wip.report"]
        cls.build_worked_example()
        cls.sale_tax = cls.env["account.tax"].create(
            {
                "name": "Sales tax 10 %",
                "amount": 10,
                "type_tax_use": "sale",
                "company_id": cls.company_a.id,
            }
        )
        cls.retention_account = cls.env["account.account"].create(
            {
                "name": "Retention receivable",
                "code": "139900",
                "account_type": "asset_current",
                "company_ids": [Command.set(cls.company_a.ids)],
            }
        )
        cls.job_2.write({"contract_value": 100_000, "partner_id": cls.customer.id})
        cls.make_budget(cls.job_2, [(cls.job_2.phase_ids, cls.cc_labor, 120_000)])
        cls.timesheet(600, cls.old, cls.job_2.phase_ids, cls.cc_labor, job=cls.job_2)
        cls.timesheet(600, cls.today, cls.job_2.phase_ids, cls.cc_labor, job=cls.job_2)
        cls.inv_1 = cls.customer_invoice(cls.old, [(250_000, {"job_id": cls.job.id})])
        retention = cls.env["account.move.line"]._construction_retention_line_vals(
            "receivable_held", 5_000, cls.retention_account, "Retention 10 %", job=cls.job
        )
        cls.inv_2 = cls.customer_invoice(
            cls.today,
            [(50_000, {"job_id": cls.job.id, "tax_ids": [Command.set(cls.sale_tax.ids)]})],
            extra_lines=[retention],
        )
        cls.refund = cls.customer_invoice(
            cls.today, [(10_000, {"job_id": cls.job.id})], move_type="out_refund"
        )
        cls.inv_job_2 = cls.customer_invoice(
            cls.today,
            [(40_000, {"analytic_distribution": {str(cls.job_2.account_id.id): 100}})],
        )
        cls.draft = cls.customer_invoice(cls.today, [(99_999, {"job_id": cls.job.id})], post=False)

    @classmethod
    def customer_invoice(cls, date, lines, move_type="out_invoice", extra_lines=(), post=True):
        """``lines``: [(amount, line values)]: one line each, untaxed unless said."""
        move = (
            cls.env["account.move"]
            .with_company(cls.company_a)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": cls.customer.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Progress billing",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                **vals,
                            }
                        )
                        for amount, vals in lines
                    ]
                    + [Command.create(vals) for vals in extra_lines],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def wip_rows(self, as_of, company=None):
        """{job code: row} of the WIP of ``company`` (default A) as of ``as_of``.

        The rows of two dates have the same ids (their jobs'): the cache of
        the other date is dropped first."""
        self.Wip.invalidate_model()
        rows = self.Wip.with_context(wip_as_of=fields.Date.to_string(as_of)).search(
            [("company_id", "=", (company or self.company_a).id)]
        )
        return {row.job_code: row for row in rows}

    def assert_figures(self, got, expected, msg=""):
        for name, value in zip(FIGURES, expected, strict=True):
            self.assertAlmostEqual(got[name], value, places=2, msg=f"{msg} {name}")


@tagged("post_install", "-at_install")
class TestWipSchedule(WipCase):
    def test_wip_lines_thirty_days_ago(self):
        rows = self.wip_rows(self.as_of_1)
        self.assertEqual(list(rows), ["J-9001", "J-9002"])
        self.assert_figures(rows["J-9001"], J9001_EARLIER, "J-9001")
        self.assert_figures(rows["J-9002"], J9002_EARLIER, "J-9002")

    def test_wip_lines_today(self):
        rows = self.wip_rows(self.today)
        self.assertEqual(list(rows), ["J-9001", "J-9002"])
        self.assert_figures(rows["J-9001"], J9001_TODAY, "J-9001")
        self.assert_figures(rows["J-9002"], J9002_TODAY, "J-9002")
        self.assertEqual(rows["J-9001"].as_of, self.today)

    def test_the_cost_side_is_the_job_cost_report(self):
        """Cost to date and EAC per job are the job cost report's, grouped by job."""
        for as_of in (self.as_of_1, self.today):
            groups = self.Report.with_context(
                job_cost_as_of=fields.Date.to_string(as_of)
            )._read_group(
                [("job_id", "in", (self.job | self.job_2).ids)],
                ["job_id"],
                ["actual:sum", "estimate_at_completion:sum"],
            )
            rows = self.wip_rows(as_of)
            for job, actual, eac in groups:
                row = rows[job.job_code]
                self.assertAlmostEqual(row.cost_to_date, actual, places=2)
                self.assertAlmostEqual(row.estimated_cost, eac, places=2)

    def test_sql_view_and_domain_agree(self):
        """The list's SQL and domain/wip.py give the same figures, to the cent."""
        for as_of in (self.as_of_1, self.today):
            for code, row in self.wip_rows(as_of).items():
                line = wip_line(
                    row.contract_value, row.estimated_cost, row.cost_to_date, row.billed_to_date
                )
                for name in FIGURES:
                    self.assertAlmostEqual(
                        row[name], float(getattr(line, name)), delta=0.011, msg=f"{code} {name}"
                    )

    def test_totals(self):
        body = self.Wip._api_wip(self.company_a, self.today)
        totals = body["totals"]
        self.assertEqual(
            [totals[name] for name in FIGURES],
            [
                1_140_000,
                980_000,
                245_000,
                25.0,  # 245,000 / 980,000
                273_720.93,
                330_000,
                66_279.07,  # over and under billing are summed per job, never netted
                10_000,
                735_000,
                160_000,
                14.04,  # 160,000 / 1,140,000
                10_000,
                18_720.93,
            ],
        )
        # The list's sums are the same (web_read_group, as the list's footer).
        groups = self.Wip.with_context(wip_as_of=str(self.today)).read_group(
            [("company_id", "=", self.company_a.id)],
            ["over_billing:sum", "under_billing:sum", "billed_to_date:sum"],
            [],
        )
        self.assertAlmostEqual(groups[0]["over_billing"], 66_279.07, places=2)
        self.assertAlmostEqual(groups[0]["under_billing"], 10_000, places=2)
        self.assertAlmostEqual(groups[0]["billed_to_date"], 330_000, places=2)

    def test_api_body(self):
        body = self.Wip._api_wip(self.company_a, self.as_of_1)
        self.assertEqual(
            (body["as_of"], body["currency"], body["company"]),
            (str(self.as_of_1), self.company_a.currency_id.name, "Test GC"),
        )
        self.assertEqual([job["job"] for job in body["jobs"]], ["J-9001", "J-9002"])
        self.assertEqual(
            [body["jobs"][1][name] for name in FIGURES], [float(v) for v in J9002_EARLIER]
        )
        self.assertEqual(body["jobs"][1]["name"], "Second Job")

    def test_billing_counts_posted_untaxed_without_retention_by_date(self):
        rows = self.wip_rows(self.today)
        # Not 55,000 with the tax, not 45,000 net of retention, not the draft.
        self.assertEqual(rows["J-9001"].billed_to_date, 290_000)
        # Yesterday: only the invoice of 40 days ago. An invoice reset to draft stops counting.
        yesterday = self.today - timedelta(days=1)
        self.assertEqual(self.wip_rows(yesterday)["J-9001"].billed_to_date, 250_000)
        self.inv_2.button_draft()
        self.assertEqual(self.wip_rows(self.today)["J-9001"].billed_to_date, 240_000)

    def test_analytic_share_of_a_line_without_job(self):
        """A line split 60/40 between two jobs' analytic accounts bills each its share."""
        self.customer_invoice(
            self.today,
            [
                (
                    10_000,
                    {
                        "analytic_distribution": {
                            str(self.job.account_id.id): 60,
                            str(self.job_2.account_id.id): 40,
                        }
                    },
                )
            ],
        )
        rows = self.wip_rows(self.today)
        self.assertEqual(rows["J-9001"].billed_to_date, 296_000)
        self.assertEqual(rows["J-9002"].billed_to_date, 44_000)

    def test_loss_job_shows_the_whole_loss(self):
        for as_of in (self.as_of_1, self.today):
            row = self.wip_rows(as_of)["J-9002"]
            self.assertAlmostEqual(row.gross_profit, -20_000, places=2)
            self.assertAlmostEqual(row.gross_profit_to_date, -20_000, places=2)
            self.assertAlmostEqual(
                row.loss_provision,
                (row.estimated_cost - row.contract_value) * (1 - row.percent_complete / 100),
                places=2,
            )

    def test_closed_jobs_drop_out_after_their_month(self):
        first_of_month = fields.Date.start_of(self.today, "month")
        closed = self.Project.create(
            {
                "name": "Closed Job",
                "job_code": "J-9003",
                "company_id": self.company_a.id,
                "contract_value": 50_000,
                "job_status": "in_progress",
            }
        )
        closed.write({"job_status": "closed", "date_closed": first_of_month - timedelta(days=1)})
        last_month_end = first_of_month - timedelta(days=1)
        # Closed last month: in the WIP of last month (and before), not of this month.
        self.assertNotIn("J-9003", self.wip_rows(self.today))
        self.assertIn("J-9003", self.wip_rows(last_month_end))
        self.assertIn("J-9003", self.wip_rows(last_month_end - timedelta(days=40)))
        # Closed today: still in this month's WIP, and in any earlier one.
        closed.date_closed = self.today
        self.assertIn("J-9003", self.wip_rows(self.today))
        # A job with neither contract, cost nor billing is not on the WIP.
        closed.write({"job_status": "in_progress", "contract_value": 0})
        self.assertFalse(closed.date_closed)
        self.assertNotIn("J-9003", self.wip_rows(self.today))

    def test_companies_are_apart(self):
        self.job_b.contract_value = 70_000
        self.assertEqual(list(self.wip_rows(self.today, self.company_b)), ["J-9001"])
        self.assertEqual(self.wip_rows(self.today, self.company_b)["J-9001"].contract_value, 70_000)
        # The project manager of company B sees only B's schedule.
        rows = self.Wip.with_user(self.user_b).search([])
        self.assertEqual(rows.company_id, self.company_b)
        rows = self.Wip.with_user(self.user_pm).search([])
        self.assertEqual(rows.mapped("job_code"), ["J-9001", "J-9002"])
        self.assertEqual(rows.company_id, self.company_a)
        with self.assertRaises(AccessError):
            self.Wip.with_user(self.user_supervisor).search([])

    def test_job_smart_buttons(self):
        (self.job | self.job_2).invalidate_recordset()
        self.assertEqual(self.job.wip_billed_to_date, 290_000)
        self.assertAlmostEqual(self.job.wip_over_billing, 66_279.07, places=2)
        self.assertEqual(self.job.wip_under_billing, 0)
        self.assertEqual(self.job_2.wip_billed_to_date, 40_000)
        self.assertEqual(self.job_2.wip_under_billing, 10_000)
        action = self.job.action_view_wip_billing()
        lines = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(lines.move_id, self.inv_1 | self.inv_2 | self.refund)
        self.assertEqual(sum(lines.mapped("balance")), -290_000)
        action = self.job_2.action_view_wip_billing()
        self.assertEqual(self.env["account.move.line"].search(action["domain"]).move_id,
                         self.inv_job_2)  # fmt: skip
        action = self.job.action_view_wip()
        self.assertEqual(action["res_model"], "construction.wip.report")
        self.assertEqual(action["domain"], [("job_id", "=", self.job.id)])

    def test_wizard_opens_the_list_and_prints(self):
        wizard = self.env["construction.wip.as.of.wizard"].create(
            {"as_of": self.as_of_1, "company_id": self.company_a.id}
        )
        action = wizard.action_open()
        self.assertEqual(action["context"]["wip_as_of"], str(self.as_of_1))
        rows = self.Wip.with_context(**action["context"]).search(action["domain"])
        self.assertEqual(rows.mapped("job_code"), ["J-9001", "J-9002"])
        self.assertEqual(rows[0].over_billing, 162_500)
        report = wizard.with_context(discard_logo_check=True).action_print()
        self.assertEqual(report["report_name"], "construction_job_costing.report_wip")
        self.assertEqual(report["data"], {"as_of": str(self.as_of_1)})
        # Default: the end of last month.
        default = self.env["construction.wip.as.of.wizard"].create({})
        self.assertEqual(default.as_of, fields.Date.start_of(self.today, "month") - timedelta(1))

    def test_pdf_of_the_schedule(self):
        content, report_type = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, self.company_a.ids, data={"as_of": str(self.today)}
        )
        self.assertEqual(report_type, "html")
        doc = html.fromstring(content)
        rows = doc.xpath("//tr[hasclass('o_wip_line')]")
        self.assertEqual([row.xpath("string(td[1])").split()[0] for row in rows],
                         ["J-9001", "J-9002"])  # fmt: skip
        total = doc.xpath("//tr[hasclass('o_wip_total')]")[0]
        self.assertIn("330,000.00", total.xpath("string(td[@name='td_billed_to_date'])"))
        self.assertIn("66,279.07", total.xpath("string(td[@name='td_over_billing'])"))
        self.assertIn("25.0", total.xpath("string(td[@name='td_percent_complete'])"))
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            pdf, report_type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(REPORT, self.company_a.ids, data={"as_of": str(self.today)})
            )
            self.assertEqual((report_type, pdf[:4]), ("pdf", b"%PDF"))

    def test_a_few_queries_for_the_whole_schedule(self):
        """The schedule's query, the jobs' names: the same count for 2 jobs or 12."""
        self.Wip._api_wip(self.company_a, self.today)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=4):
            self.Wip._api_wip(self.company_a, self.today)
        self.Project.create(
            [
                {
                    "name": f"More {n}",
                    "job_code": f"J-95{n:02d}",
                    "company_id": self.company_a.id,
                    "contract_value": 1000 * n,
                }
                for n in range(1, 11)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=4):
            body = self.Wip._api_wip(self.company_a, self.today)
        self.assertEqual(len(body["jobs"]), 12)
