from datetime import timedelta

from odoo import Command, fields
from odoo.addons.construction_procurement.tests.common import ProcurementCase


class JobCostCase(ProcurementCase):
    """The worked example of the job cost report, written out.

    Job J-9001: contract 1,000,000, budget 800,000 (approved):

    ======  ======  =========  ==========================================
    phase   code    original   documents
    ======  ======  =========  ==========================================
    P1      03-300  300,000    PO 1,000 u x 150 (old), 600 received;
                               bill 400 u (old), bill 200 u (today);
                               pending CO-002 +15,000 (today)
    P1      03-310  100,000    timesheets 200 h (old) + 100 h (today)
                               at 50/h; transfer -20,000 (today)
    P2      03-300   50,000    transfer +20,000 (today)
    P2      05-120  350,000    subcontract 320,000 (old), bill 25 %
                               (today); CO-001 +30,000 cost, +40,000
                               price (today); forecast ETC 330,000 (today)
    ======  ======  =========  ==========================================

    ``old`` is 40 days ago; the report is checked as of 30 days ago and today.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.users"])
        cls.old = cls.today - timedelta(days=40)
        cls.as_of_1 = cls.today - timedelta(days=30)
        cls.company_a.write(
            {
                "construction_match_action": "warn",
                "construction_budget_check": "off",
                "construction_co_pm_limit": 50000,
            }
        )
        cls.cc_steel = cls.CostCode.create(
            {
                "code": "05-120",
                "name": "Structural Steel Framing",
                "cost_type": "subcontract",
                "company_id": cls.company_a.id,
            }
        )
        cls.Budget = cls.env["construction.budget"]
        cls.Report = cls.env["construction.job.cost.report"]
        cls.ChangeOrder = cls.env["construction.change.order"]
        cls.Transfer = cls.env["construction.budget.transfer"]
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Ana Formworker", "company_id": cls.company_a.id, "hourly_cost": 50.0}
        )

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def make_budget(cls, job, lines, approve=True):
        """``lines``: [(phase or False, cost code, amount)]."""
        budget = cls.Budget.create(
            {
                "job_id": job.id,
                "line_ids": [
                    Command.create(
                        {
                            "phase_id": phase.id if phase else False,
                            "cost_code_id": code.id,
                            "original_amount": amount,
                        }
                    )
                    for phase, code, amount in lines
                ],
            }
        )
        if approve:
            budget.action_approve()
        return budget

    @classmethod
    def line_of(cls, budget, phase, code):
        return budget.line_ids.filtered(
            lambda line: line.phase_id == phase and line.cost_code_id == code
        )

    @classmethod
    def confirmed_po(cls, product, qty, price, phase, code, date=None, **vals):
        order = (
            cls.env["purchase.order"]
            .with_company(cls.company_a)
            .create(
                {
                    "partner_id": vals.pop("partner_id", cls.vendor_a.id),
                    "company_id": cls.company_a.id,
                    "job_id": vals.pop("job_id", cls.job.id),
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "phase_id": phase.id,
                                "cost_code_id": code.id,
                            }
                        )
                    ],
                    **vals,
                }
            )
        )
        order.button_confirm()
        if date:
            order.date_approve = fields.Datetime.to_datetime(date)
        return order

    @classmethod
    def posted_bill(cls, po_line, quantity, date, ref):
        line_vals = po_line._prepare_account_move_line()
        line_vals.update(quantity=quantity, price_unit=po_line.price_unit)
        line_vals.pop("display_type", None)
        bill = (
            cls.env["account.move"]
            .with_company(cls.company_a)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": po_line.order_id.partner_id.id,
                    "ref": ref,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [Command.create(line_vals)],
                }
            )
        )
        bill.action_post()
        return bill

    @classmethod
    def timesheet(cls, hours, date, phase, code, job=None):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Formwork crew",
                "project_id": (job or cls.job).id,
                "employee_id": cls.employee.id,
                "unit_amount": hours,
                "date": date,
                "phase_id": phase.id,
                "cost_code_id": code.id,
            }
        )

    @classmethod
    def change_order(cls, lines, job=None, title="Owner change"):
        """``lines``: [(phase, cost code, cost delta, price delta)]."""
        return cls.ChangeOrder.create(
            {
                "job_id": (job or cls.job).id,
                "title": title,
                "line_ids": [
                    Command.create(
                        {
                            "phase_id": phase.id if phase else False,
                            "cost_code_id": code.id,
                            "cost_delta": cost,
                            "price_delta": price,
                        }
                    )
                    for phase, code, cost, price in lines
                ],
            }
        )

    @classmethod
    def build_worked_example(cls):
        cls.budget = cls.make_budget(
            cls.job,
            [
                (cls.phase_1, cls.cc_concrete, 300000),
                (cls.phase_1, cls.cc_labor, 100000),
                (cls.phase_2, cls.cc_concrete, 50000),
                (cls.phase_2, cls.cc_steel, 350000),
            ],
        )
        # Material PO, confirmed 40 days ago: 600 of 1,000 received, 400 billed
        # then, 200 more billed today.
        cls.po = cls.confirmed_po(cls.concrete, 1000, 150, cls.phase_1, cls.cc_concrete, cls.old)
        cls.po_line = cls.po.order_line
        cls.po.picking_ids._receive_quantities({cls.po_line: 600}, cls.user_supervisor)
        cls.bill_old = cls.posted_bill(cls.po_line, 400, cls.old, "GRM-1001")
        cls.bill_new = cls.posted_bill(cls.po_line, 200, cls.today, "GRM-1002")
        # Subcontract 320,000, a quarter billed today.
        cls.subcontract = cls.confirmed_po(
            cls.steel_work,
            1,
            320000,
            cls.phase_2,
            cls.cc_steel,
            cls.old,
            partner_id=cls.subcontractor.id,
            order_kind="subcontract",
        )
        cls.sub_bill = cls.posted_bill(cls.subcontract.order_line, 0.25, cls.today, "NS-7")
        # Crew time at 50/h.
        cls.timesheet(200, cls.old, cls.phase_1, cls.cc_labor)
        cls.timesheet(100, cls.today, cls.phase_1, cls.cc_labor)
        # Transfer of 20,000 from labor to the structure's concrete, today.
        cls.transfer = cls.Transfer.create(
            {
                "job_id": cls.job.id,
                "from_line_id": cls.line_of(cls.budget, cls.phase_1, cls.cc_labor).id,
                "to_line_id": cls.line_of(cls.budget, cls.phase_2, cls.cc_concrete).id,
                "amount": 20000,
                "reason": "Labor productivity better than estimated",
            }
        )
        cls.transfer.action_approve()
        # Owner change orders: one approved today, one pending.
        cls.co_approved = cls.change_order(
            [(cls.phase_2, cls.cc_steel, 30000, 40000)], title="Canopy steel"
        )
        cls.co_approved.action_submit()
        cls.co_approved.action_approve()
        cls.co_pending = cls.change_order(
            [(cls.phase_1, cls.cc_concrete, 15000, 20000)], title="Thicker slab"
        )
        cls.co_pending.action_submit()
        # The project manager's forecast for the steel: 330,000 to complete.
        cls.env["construction.forecast.revision"].create(
            {
                "job_id": cls.job.id,
                "phase_id": cls.phase_2.id,
                "cost_code_id": cls.cc_steel.id,
                "estimate_to_complete": 330000,
                "note": "Connection redesign adds shop hours",
            }
        )

    def report_rows(self, as_of, job=None):
        """{(phase code, cost code): row} of the report of ``job`` as of ``as_of``."""
        rows = self.Report.with_context(job_cost_as_of=fields.Date.to_string(as_of)).search(
            [("job_id", "=", (job or self.job).id)]
        )
        return {(row.phase_id.code or None, row.cost_code_id.code or None): row for row in rows}
