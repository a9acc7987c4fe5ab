from lxml import html

from odoo import Command, fields
from odoo.addons.construction_base.tests.common import ConstructionCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import format_date

REPORT = "construction_job_costing.action_report_job_cost"
AS_OF = "2026-11-30"


@tagged("post_install", "-at_install")
class TestJobCostReportPdf(ConstructionCase):
    """The job cost report of a job on paper, as of a date.

    J-9001 as of 2026-11-30:

    ========  =========  ========  =======  =======  =========  ========  =========  =========
    line      original   changes   revised  commit.  actual     ETC       EAC        variance
    ========  =========  ========  =======  =======  =========  ========  =========  =========
    P1 03-300 10,000.00  -500.00   9,500.00 0        11,250.50  0         11,250.50  -1,750.50
    P1 03-310  4,000.00   500.00   4,500.00 0         1,000.00  3,500.00   4,500.00  0
    P2 03-300 25,000.00  1,500.00 26,500.00 8,000.00  0        26,500.00  26,500.00  0
    ========  =========  ========  =======  =======  =========  ========  =========  =========

    A transfer of 500 moves budget from P1 03-300 to P1 03-310, an owner
    change order adds 1,500 to P2 03-300 (and 2,000 to the contract), a job
    PO commits 8,000; a cost of 4,321 posted after the date is left out.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        budget = cls.env["construction.budget"].create(
            {
                "job_id": cls.job.id,
                "line_ids": [
                    Command.create(
                        {
                            "phase_id": cls.phase_1.id,
                            "cost_code_id": cls.cc_concrete.id,
                            "original_amount": 10_000,
                        }
                    ),
                    Command.create(
                        {
                            "phase_id": cls.phase_1.id,
                            "cost_code_id": cls.cc_labor.id,
                            "original_amount": 4_000,
                        }
                    ),
                    Command.create(
                        {
                            "phase_id": cls.phase_2.id,
                            "cost_code_id": cls.cc_concrete.id,
                            "original_amount": 25_000,
                        }
                    ),
                ],
            }
        )
        budget.action_approve()
        p1_concrete, p1_labor, _p2_concrete = budget.line_ids.sorted(
            lambda line: (line.phase_id.code, line.cost_code_id.code)
        )
        transfer = cls.env["construction.budget.transfer"].create(
            {
                "job_id": cls.job.id,
                "from_line_id": p1_concrete.id,
                "to_line_id": p1_labor.id,
                "amount": 500,
                "reason": "Crew time for the footing rework",
            }
        )
        transfer.action_approve()
        transfer.date = "2026-11-12"
        change_order = cls.env["construction.change.order"].create(
            {
                "job_id": cls.job.id,
                "title": "Deeper footings at grid A",
                "line_ids": [
                    Command.create(
                        {
                            "phase_id": cls.phase_2.id,
                            "cost_code_id": cls.cc_concrete.id,
                            "cost_delta": 1_500,
                            "price_delta": 2_000,
                        }
                    )
                ],
            }
        )
        change_order.action_submit()
        change_order.action_approve()
        change_order.date_approved = "2026-11-10"

        vendor = cls.env["res.partner"].create({"name": "Report Ready-Mix"})
        product = cls.env["product.product"].create(
            {"name": "Report Concrete", "type": "consu", "purchase_method": "receive"}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        order = (
            cls.env["purchase.order"]
            .with_company(cls.company_a)
            .create(
                {
                    "partner_id": vendor.id,
                    "company_id": cls.company_a.id,
                    "picking_type_id": warehouse.in_type_id.id,
                    "job_id": cls.job.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": 10,
                                "price_unit": 800,
                                "phase_id": cls.phase_2.id,
                                "cost_code_id": cls.cc_concrete.id,
                            }
                        )
                    ],
                }
            )
        )
        order.button_confirm()
        order.date_approve = "2026-11-05 10:00:00"

        def cost(amount, date, phase, code):
            return {
                "name": "Cost",
                "account_id": cls.job.account_id.id,
                "company_id": cls.company_a.id,
                "amount": -amount,
                "date": date,
                "phase_id": phase.id,
                "cost_code_id": code.id,
            }

        cls.env["account.analytic.line"].create(
            [
                cost(11_250.50, "2026-11-15", cls.phase_1, cls.cc_concrete),
                cost(1_000, "2026-11-20", cls.phase_1, cls.cc_labor),
                cost(4_321, "2026-12-15", cls.phase_2, cls.cc_concrete),
            ]
        )

    def render(self, jobs=None, data=None, env=None):
        content, report_type = (env or self.env)["ir.actions.report"]._render_qweb_html(
            REPORT, (jobs or self.job).ids, data=data if data is not None else {"as_of": AS_OF}
        )
        self.assertEqual(report_type, "html")
        return html.fromstring(content)

    @staticmethod
    def text(node):
        return " ".join(node.text_content().split())

    def rows(self, document, css_class):
        """[[cell text, ...]] of the rows of a class in the lines table."""
        return [
            [self.text(td) for td in row.xpath("./td")]
            for row in document.xpath(
                f"//table[@name='job_cost_lines']//tr[contains(@class, '{css_class}')]"
            )
        ]

    def test_lines_subtotals_and_total(self):
        document = self.render()
        self.assertEqual(
            self.rows(document, "o_job_cost_phase"), [["P1 Foundations"], ["P2 Structure"]]
        )
        self.assertEqual(
            self.rows(document, "o_job_cost_line"),
            [
                [
                    "03-300 Cast-in-Place Concrete",
                    "10,000.00",
                    "-500.00",
                    "9,500.00",
                    "0.00",
                    "11,250.50",
                    "0.00",
                    "11,250.50",
                    "-1,750.50",
                    "118.4 %",
                ],
                [
                    "03-310 Concrete Labor",
                    "4,000.00",
                    "500.00",
                    "4,500.00",
                    "0.00",
                    "1,000.00",
                    "3,500.00",
                    "4,500.00",
                    "0.00",
                    "22.2 %",
                ],
                [
                    "03-300 Cast-in-Place Concrete",
                    "25,000.00",
                    "1,500.00",
                    "26,500.00",
                    "8,000.00",
                    "0.00",
                    "26,500.00",
                    "26,500.00",
                    "0.00",
                    "0.0 %",
                ],
            ],
        )
        self.assertEqual(
            self.rows(document, "o_job_cost_subtotal"),
            [
                [
                    "Subtotal P1",
                    "14,000.00",
                    "0.00",
                    "14,000.00",
                    "0.00",
                    "12,250.50",
                    "3,500.00",
                    "15,750.50",
                    "-1,750.50",
                    "87.5 %",
                ],
                [
                    "Subtotal P2",
                    "25,000.00",
                    "1,500.00",
                    "26,500.00",
                    "8,000.00",
                    "0.00",
                    "26,500.00",
                    "26,500.00",
                    "0.00",
                    "0.0 %",
                ],
            ],
        )
        self.assertEqual(
            self.rows(document, "o_job_cost_total"),
            [
                [
                    "Total J-9001",
                    "39,000.00",
                    "1,500.00",
                    "40,500.00",
                    "8,000.00",
                    "12,250.50",
                    "30,000.00",
                    "42,250.50",
                    "-1,750.50",
                    "30.2 %",
                ]
            ],
        )
        # The cost posted after the as-of date is not in the report.
        self.assertNotIn("4,321.00", self.text(document))

    def test_header_and_cost_type_summary(self):
        document = self.render()
        header = {
            self.text(div.xpath("./strong")[0]): self.text(div.xpath("./p")[0])
            for div in document.xpath("//div[@id='informations']/div")
        }
        self.assertEqual(
            header,
            {
                "Job": "J-9001 Test Tower",
                "Customer": "Owner Co",
                "Company": "Test GC",
                "Currency": self.company_a.currency_id.name,
                "As of": "11/30/2026",
                "Contract Value": "1,002,000.00",
            },
        )
        self.assertEqual(
            [
                [self.text(td) for td in row.xpath("./td")]
                for row in document.xpath("//table[@name='job_cost_cost_types']//tbody/tr")
            ],
            [
                ["Material", "36,000.00", "8,000.00", "11,250.50", "37,750.50", "-1,750.50"],
                ["Labor", "4,500.00", "0.00", "1,000.00", "4,500.00", "0.00"],
            ],
        )

    def test_figures_are_the_api_figures(self):
        """Every figure of the PDF is the read API's, formatted."""
        document = self.render()
        body = self.env["construction.job.cost.report"]._api_job_cost(
            self.job,
            self.env["report.construction_job_costing.report_job_cost"]._report_as_of(
                {"as_of": AS_OF}
            ),
        )
        keys = (
            "original_budget",
            "approved_changes",
            "revised_budget",
            "committed",
            "actual",
            "estimate_to_complete",
            "estimate_at_completion",
            "variance",
        )
        expected = [[f"{line[key]:,.2f}" for key in keys] for line in body["lines"]]
        self.assertEqual([row[1:9] for row in self.rows(document, "o_job_cost_line")], expected)
        self.assertEqual(
            self.rows(document, "o_job_cost_total")[0][1:9],
            [f"{body['totals'][key]:,.2f}" for key in keys],
        )

    def test_as_of_from_context_then_today(self):
        """Without data, the context's job_cost_as_of, else today. On 2026-11-08 only
        the budget and the order count: the change order, the transfer and the costs
        come later."""
        env = self.env(context=dict(self.env.context, job_cost_as_of="2026-11-08"))
        document = self.render(data={}, env=env)
        self.assertEqual(self.text(document.xpath("//div[@name='as_of']/p")[0]), "11/08/2026")
        self.assertEqual(
            self.rows(document, "o_job_cost_total")[0][1:6],
            ["39,000.00", "0.00", "39,000.00", "8,000.00", "0.00"],
        )
        document = self.render(data={})
        today = fields.Date.context_today(self.job)
        self.assertEqual(
            self.text(document.xpath("//div[@name='as_of']/p")[0]), format_date(self.env, today)
        )

    def test_several_jobs_one_document_each(self):
        empty_job = self.Project.create(
            {"name": "Empty Lot", "job_code": "J-9003", "company_id": self.company_a.id}
        )
        document = self.render(jobs=self.job | empty_job)
        pages = document.xpath("//div[contains(@class, 'o_construction_job_cost_report')]")
        self.assertEqual(
            [self.text(page.xpath("./h2")[0]) for page in pages],
            ["Job Cost Report [J-9001] Test Tower", "Job Cost Report [J-9003] Empty Lot"],
        )
        self.assertIn("No budget, commitment or cost on this job yet.", self.text(pages[1]))

    def test_cost_without_phase_or_cost_code(self):
        """Cost on the job without phase nor cost code has its own group and line."""
        self.env["account.analytic.line"].create(
            {
                "name": "Permit fee",
                "account_id": self.job_2.account_id.id,
                "company_id": self.company_a.id,
                "amount": -250,
                "date": "2026-11-02",
            }
        )
        # The report view declares no _depends yet: flush the new line by hand.
        self.env.flush_all()
        document = self.render(jobs=self.job_2)
        self.assertEqual(self.rows(document, "o_job_cost_phase"), [["No phase"]])
        self.assertEqual(
            self.rows(document, "o_job_cost_line")[0][:6],
            ["Uncoded cost", "0.00", "0.00", "0.00", "0.00", "250.00"],
        )
        self.assertEqual(self.rows(document, "o_job_cost_subtotal")[0][0], "Subtotal, no phase")
        self.assertEqual(
            self.text(document.xpath("//table[@name='job_cost_cost_types']//tbody/tr/td")[0]),
            "Uncoded",
        )

    def test_refusals(self):
        project = self.Project.create({"name": "Office Move"})
        with self.assertRaises(UserError) as caught:
            self.render(jobs=project)
        self.assertEqual(
            str(caught.exception),
            "Office Move is not a construction job: only jobs (projects with a job code) "
            "have a job cost report.",
        )
        with self.assertRaises(UserError) as caught:
            self.render(data={"as_of": "30/11/2026"})
        self.assertEqual(
            str(caught.exception),
            "The job cost report cannot be printed: as_of must be a date written YYYY-MM-DD.",
        )
        # A construction user (no project manager) sees no job cost.
        with self.assertRaises(AccessError):
            self.render(env=self.env(user=self.user_construction))
        document = self.render(env=self.env(user=self.user_pm))
        self.assertEqual(self.rows(document, "o_job_cost_total")[0][5], "12,250.50")

    def test_report_is_printed_from_the_job(self):
        action = self.job.with_context(discard_logo_check=True).action_print_job_cost()
        self.assertEqual(
            (action["type"], action["report_name"], action["context"]["active_ids"]),
            ("ir.actions.report", "construction_job_costing.report_job_cost", self.job.ids),
        )
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "project.project")
        self.assertEqual(report.paperformat_id.orientation, "Landscape")

    def test_pdf(self):
        """The PDF itself, where wkhtmltopdf is installed (Odoo renders HTML in
        tests unless forced)."""
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDF itself is not rendered")
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.job.ids, data={"as_of": AS_OF})
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
