"""With every construction module installed, documents that have nothing to
do with a job behave as in plain Odoo 18: a purchase order through receipt,
bill and payment, and a timesheet on an ordinary project."""

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStandardFlows(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.vendor = cls.env["res.partner"].create({"name": "Office Supplies Ltd"})
        cls.product = cls.env["product.product"].create(
            {"name": "Printer paper", "type": "consu", "is_storable": True, "standard_price": 4}
        )

    def test_purchase_receipt_bill_payment_without_a_job(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_qty": 10, "price_unit": 5}
                    )
                ],
            }
        )
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        picking = order.picking_ids
        picking.move_ids.quantity = 10
        picking.button_validate()
        self.assertEqual((picking.state, order.order_line.qty_received), ("done", 10))
        order.action_create_invoice()
        bill = order.invoice_ids
        bill.invoice_date = fields.Date.today()
        bill.action_post()
        self.assertEqual((bill.state, bill.amount_untaxed), ("posted", 50))
        self.assertFalse(bill.invoice_line_ids.job_id)
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({})
        )
        payment.action_create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_timesheet_on_an_ordinary_project(self):
        project = self.env["project.project"].create({"name": "Office move"})
        employee = self.env["hr.employee"].create({"name": "Office Clerk", "hourly_cost": 20})
        line = self.env["account.analytic.line"].create(
            {
                "name": "Packing",
                "project_id": project.id,
                "employee_id": employee.id,
                "unit_amount": 3,
            }
        )
        self.assertEqual(line.amount, -60)
        self.assertFalse(line.job_id)
        self.assertFalse(line.field_state)
        # Still editable as in plain Odoo.
        with Form(line, view="hr_timesheet.hr_timesheet_line_form") as form:
            form.unit_amount = 4
        self.assertEqual(line.amount, -80)
