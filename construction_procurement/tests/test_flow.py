from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ProcurementCase


@tagged("post_install", "-at_install")
class TestRequisitionToReceipt(ProcurementCase):
    def _order_wizard(self, requisition, plan):
        """plan: {requisition line: (vendor, quantity, price)}"""
        action = requisition.action_open_order_wizard()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        for wizard_line in wizard.line_ids:
            vendor, quantity, price = plan.get(wizard_line.requisition_line_id, (None, 0, 0))
            if vendor is None:
                wizard_line.selected = False
                continue
            wizard_line.write({"vendor_id": vendor.id, "quantity": quantity, "price_unit": price})
        result = wizard.action_create_rfqs()
        return self.env["purchase.order"].browse(result["domain"][0][2])

    def test_whole_flow_with_figures(self):
        requisition = self.requisition(
            [
                {
                    "name": "Concrete 4000 PSI",
                    "product_id": self.concrete.id,
                    "product_qty": 100,
                    "estimated_unit_cost": 30,
                    "cost_code_id": self.cc_concrete.id,
                },
                {
                    "name": "Rebar #5",
                    "product_id": self.rebar.id,
                    "product_qty": 20,
                    "estimated_unit_cost": 50,
                    "cost_code_id": self.cc_concrete.id,
                    "phase_id": self.phase_2.id,
                },
            ]
        )
        self.assertEqual(requisition.amount_total, 4000)
        self.assertTrue(requisition.name.startswith("REQ/"))
        requisition.action_submit()
        self.assertEqual(requisition.state, "submitted")
        self.assertEqual(requisition.approval_rule_id.name, "Up to 5,000: PM")
        self.assertEqual(requisition.activity_ids.user_id, self.user_pm)
        requisition.with_user(self.user_pm).action_approve()
        self.assertEqual((requisition.state, requisition.approved_by), ("approved", self.user_pm))
        self.assertFalse(requisition.activity_ids)
        [approved_event] = self.events("requisition.approved")
        self.assertEqual(approved_event.payload["requisition"], requisition.name)

        concrete_line, rebar_line = requisition.line_ids.sorted("id")
        # Two vendors, and only 60 of the concrete for now.
        orders = self._order_wizard(
            requisition,
            {concrete_line: (self.vendor_a, 60, 31), rebar_line: (self.vendor_b, 20, 48)},
        )
        self.assertEqual(len(orders), 2)
        self.assertEqual(requisition.state, "partially_ordered")
        self.assertEqual((concrete_line.qty_ordered, concrete_line.qty_to_order), (60, 40))
        po_a = orders.filtered(lambda o: o.partner_id == self.vendor_a)
        po_line = po_a.order_line
        self.assertEqual(
            (po_line.requisition_line_id, po_line.job_id, po_line.phase_id, po_line.cost_code_id),
            (concrete_line, self.job, self.phase_1, self.cc_concrete),
        )
        self.assertEqual(po_line.analytic_distribution, {str(self.job.account_id.id): 100.0})
        self.assertEqual(po_a.job_id, self.job)
        self.assertEqual(
            orders.filtered(lambda o: o.partner_id == self.vendor_b).order_line.phase_id,
            self.phase_2,
        )

        self._order_wizard(requisition, {concrete_line: (self.vendor_a, 40, 31)})
        self.assertEqual(requisition.state, "ordered")
        self.assertEqual(requisition.purchase_order_count, 3)

        po_a.button_confirm()
        self.assertEqual(po_a.state, "purchase")
        self.assertEqual(self.events("purchase_order.confirmed").res_id, po_a.id)
        self.assertEqual((po_line.committed_amount, po_line.received_amount), (1860, 0))
        self.assertEqual(po_line.open_commitment, 1860)

        # The site receives 25 of 60: a backorder keeps the other 35.
        picking = po_a.picking_ids
        self.assertEqual(picking.job_id, self.job)
        picking._receive_quantities({po_line: 25}, self.user_supervisor)
        self.assertEqual(picking.state, "done")
        backorder = po_a.picking_ids - picking
        self.assertEqual(backorder.move_ids.product_uom_qty, 35)
        self.assertEqual(po_line.qty_received, 25)
        self.assertEqual((po_line.received_amount, po_line.open_commitment), (775, 1860))
        self.assertEqual(self.events("receipt.validated").payload["lines"][0]["quantity"], 25)

        # A bill for what was received: billed 775, open 1,085.
        po_a.action_create_invoice()
        bill = po_a.invoice_ids
        bill.invoice_date = bill.date = "2026-11-20"
        bill.action_post()
        self.assertEqual(po_line.qty_invoiced, 25)
        self.assertEqual((po_line.billed_amount, po_line.open_commitment), (775, 1085))
        self.assertEqual(
            (po_a.committed_amount, po_a.received_amount, po_a.billed_amount, po_a.open_commitment),
            (1860, 775, 775, 1085),
        )
        self.assertEqual(po_line.open_commitment_company, 1085)
        # The bill line carries the coding of the PO line.
        bill_line = bill.invoice_line_ids
        self.assertEqual(bill_line.analytic_distribution, {str(self.job.account_id.id): 100.0})

        # Cancelling the untouched order of the remaining concrete frees its requisition line.
        last_po = orders.search(
            [("order_line.requisition_line_id", "=", concrete_line.id), ("state", "=", "draft")]
        )
        last_po.button_cancel()
        self.assertEqual(concrete_line.qty_to_order, 40)
        self.assertEqual(requisition.state, "partially_ordered")
        self.assertEqual(self.events("purchase_order.cancelled").res_id, last_po.id)

    def test_approval_bands_and_rejection(self):
        big = self.requisition(
            [
                {
                    "name": "Formwork",
                    "product_qty": 300,
                    "estimated_unit_cost": 20,
                    "cost_code_id": self.cc_concrete.id,
                }
            ]
        )
        big.action_submit()
        self.assertEqual(big.approval_rule_id.name, "Above 5,000: controller")
        with self.assertRaises(UserError) as caught:
            big.with_user(self.user_pm).action_approve()
        self.assertEqual(
            str(caught.exception),
            f"You may not approve {big.name} (6000.0 USD): its amount band needs approval by "
            "a member of Construction / Controller.",
        )
        with self.assertRaises(UserError) as caught:
            big.with_user(self.user_controller).action_reject("  ")
        self.assertEqual(str(caught.exception), "Give the reason of the rejection.")
        big.with_user(self.user_controller).action_reject("Use the stock in the yard")
        self.assertEqual(
            (big.state, big.rejection_reason), ("rejected", "Use the stock in the yard")
        )
        self.assertEqual(
            self.events("requisition.rejected").payload["reason"], "Use the stock in the yard"
        )
        big.action_draft()
        self.assertEqual(big.state, "draft")

    def test_submit_needs_cost_codes_and_consistent_phase(self):
        requisition = self.requisition([{"name": "Sand", "product_qty": 5}])
        with self.assertRaises(ValidationError) as caught:
            requisition.action_submit()
        self.assertEqual(
            str(caught.exception), f"Requisition {requisition.name}, line Sand: choose a cost code."
        )
        with self.assertRaises(ValidationError) as caught:
            requisition.line_ids.phase_id = self.job_2.phase_ids
        self.assertIn("phase P1 Sitework belongs to job [J-9002] Second Job", str(caught.exception))
        with self.assertRaises(ValidationError):
            self.requisition(
                [{"name": "Bad", "product_qty": 0, "cost_code_id": self.cc_concrete.id}]
            )


@tagged("post_install", "-at_install")
class TestPurchaseOrders(ProcurementCase):
    def test_job_po_needs_cost_code_on_every_line(self):
        po = self.job_po([(self.concrete, 10, 30)])
        po.order_line.cost_code_id = False
        with self.assertRaises(ValidationError) as caught:
            po.button_confirm()
        self.assertEqual(
            str(caught.exception),
            f"{po.name}, line [CON-4000] Concrete 4000 PSI: a purchase order for a job needs a "
            "job and a cost code on every line.",
        )
        self.assertEqual(po.state, "draft")

    def test_plain_po_behaves_as_odoo(self):
        po = (
            self.env["purchase.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.vendor_a.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.concrete.id, "product_qty": 5, "price_unit": 10}
                        )
                    ],
                }
            )
        )
        po.button_confirm()
        self.assertFalse(po.order_line.job_id)
        self.assertFalse(po.order_line.analytic_distribution)
        move = po.picking_ids.move_ids
        move.quantity = 7  # over-receipt is Odoo's business on a plain order
        move.picked = True
        po.picking_ids.button_validate()
        self.assertEqual(po.order_line.qty_received, 7)

    def test_over_receipt_tolerance_on_job_orders(self):
        self.company_a.construction_over_receipt_percent = 5
        po = self.job_po([(self.concrete, 100, 30)])
        po.button_confirm()
        with self.assertRaises(UserError) as caught:
            po.picking_ids._receive_quantities({po.order_line: 106}, self.user_supervisor)
        self.assertEqual(
            str(caught.exception),
            f"{po.name}, line [CON-4000] Concrete 4000 PSI: receiving 106.0 of 100.0 ordered "
            "exceeds the company's over-receipt tolerance by 1.0.",
        )
        po.picking_ids._receive_quantities({po.order_line: 105}, self.user_supervisor)
        self.assertEqual(po.order_line.qty_received, 105)

    def test_subcontract_progress_receipts(self):
        po = self.job_po(
            [(self.steel_work, 1000, 85)],
            partner_id=self.subcontractor.id,
            order_kind="subcontract",
            retention_percent=10,
        )
        po.button_confirm()
        self.assertFalse(po.picking_ids, "services have no stock receipt")
        line = po.order_line
        Receipt = self.env["construction.progress.receipt"]
        Receipt.create({"purchase_line_id": line.id, "percent": 25})
        self.assertEqual(line.qty_received, 250)
        Receipt.create({"purchase_line_id": line.id, "quantity": 100})
        self.assertEqual((line.qty_received, line.received_amount), (350, 29750))
        with self.assertRaises(ValidationError) as caught:
            Receipt.create({"purchase_line_id": line.id, "quantity": 700})
        self.assertIn("1050.0 received would exceed the ordered 1000.0", str(caught.exception))
        self.assertEqual(line.qty_received, 350)
        with self.assertRaises(ValidationError):
            self.job_po([(self.rebar, 5, 1)], retention_percent=5)

    def test_progress_receipt_refused_on_stock_lines(self):
        po = self.job_po([(self.concrete, 10, 30)])
        po.button_confirm()
        with self.assertRaises(ValidationError) as caught:
            self.env["construction.progress.receipt"].create(
                {"purchase_line_id": po.order_line.id, "quantity": 1}
            )
        self.assertIn("is received with the stock receipt", str(caught.exception))

    def test_change_order_changes_commitment(self):
        po = self.job_po([(self.concrete, 100, 30), (self.rebar, 10, 50)])
        po.button_confirm()
        concrete_line, rebar_line = po.order_line.sorted("id")
        self.assertEqual(po.committed_amount, 3500)
        po.picking_ids._receive_quantities({concrete_line: 40}, self.user_supervisor)
        change = self.env["construction.commitment.change"].create(
            {
                "purchase_order_id": po.id,
                "reason": "Slab thickened per RFI 12",
                "line_ids": [
                    Command.create(
                        {"purchase_line_id": concrete_line.id, "qty_delta": 20, "price_delta": 2}
                    ),
                    Command.create(
                        {
                            "product_id": self.steel_work.id,
                            "name": "Embeds",
                            "qty_delta": 1,
                            "price_unit": 400,
                            "cost_code_id": self.cc_concrete.id,
                        }
                    ),
                ],
            }
        )
        self.assertEqual(change.amount_delta, 120 * 32 - 3000 + 400)
        change.action_approve()
        self.assertEqual((concrete_line.product_qty, concrete_line.price_unit), (120, 32))
        self.assertEqual(po.committed_amount, 120 * 32 + 500 + 400)
        self.assertEqual(len(po.order_line), 3)
        self.assertEqual(po.order_line[-1:].job_id, self.job)
        self.assertIn(
            "[CON-4000] Concrete 4000 PSI: quantity 100.0 to 120.0, unit price 30.0 to 32.0",
            po.message_ids[0].body,
        )
        self.assertEqual(
            self.events("purchase_order.changed").payload["change_orders"], [change.name]
        )
        shrink = self.env["construction.commitment.change"].create(
            {
                "purchase_order_id": po.id,
                "reason": "Too far",
                "line_ids": [
                    Command.create({"purchase_line_id": concrete_line.id, "qty_delta": -90})
                ],
            }
        )
        with self.assertRaises(UserError) as caught:
            shrink.action_approve()
        self.assertIn(
            "cannot go below what is already received or billed (40.0)", str(caught.exception)
        )
        self.assertEqual(concrete_line.product_qty, 120)

    def test_events_roll_back_with_the_change(self):
        po = self.job_po([(self.concrete, 10, 30)])
        before = len(self.events("purchase_order.confirmed"))
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            po.button_confirm()
            self.assertEqual(len(self.events("purchase_order.confirmed")), before + 1)
            raise RuntimeError("the transaction fails after the confirmation")
        self.assertEqual(len(self.events("purchase_order.confirmed")), before)

    def test_vendor_ack_reminder(self):
        po = self.job_po([(self.concrete, 10, 30)], user_id=self.user_procurement.id)
        po.button_confirm()
        po.date_approve = "2020-01-01 00:00:00"
        self.env["purchase.order"]._cron_vendor_ack_reminders()
        activity = po.activity_ids.filtered(lambda a: "No acknowledgement" in a.summary)
        self.assertEqual(activity.user_id, self.user_procurement)
        self.env["purchase.order"]._cron_vendor_ack_reminders()
        self.assertEqual(len(po.activity_ids), 1, "reminded once")
        po._record_vendor_ack("SO-7781", "2026-12-01")
        self.assertEqual((po.partner_ref, str(po.vendor_promised_date)), ("SO-7781", "2026-12-01"))
        self.assertFalse(po.activity_ids)

    def test_form_defaults_job_on_lines(self):
        with Form(self.env["purchase.order"].with_company(self.company_a)) as form:
            form.partner_id = self.vendor_a
            form.job_id = self.job
            with form.order_line.new() as line:
                line.product_id = self.concrete
                line.cost_code_id = self.cc_concrete
        po = form.save()
        self.assertEqual(po.order_line.job_id, self.job)
        self.assertEqual(po.order_line.analytic_distribution, {str(self.job.account_id.id): 100.0})


@tagged("post_install", "-at_install")
class TestPlainOrderLines(ProcurementCase):
    def test_bill_lines_added_to_a_plain_order_keep_their_discount(self):
        """Odoo's bill-to-PO wizard: a bill line with a 2 % discount added to a
        confirmed order becomes a PO line with the same discount and total."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.company_a.ids))
        order = env["purchase.order"].create(
            {
                "partner_id": self.vendor_b.id,
                "order_line": [
                    Command.create({"product_id": self.rebar.id, "product_qty": 1, "price_unit": 5})
                ],
            }
        )
        order.button_confirm()
        bill = env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor_b.id,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.concrete.id,
                            "quantity": 12,
                            "price_unit": 276,
                            "discount": 2.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        bill.action_post()
        env["account.move.line"].flush_model()
        matches = env["purchase.bill.line.match"].search([("partner_id", "=", self.vendor_b.id)])
        matches.filtered("aml_id").action_add_to_po()
        wizard = (
            env["bill.to.po.wizard"]
            .with_context(default_purchase_order_id=order.id, active_ids=matches.ids)
            .create({})
        )
        wizard.action_add_to_po()
        line = order.order_line.filtered(lambda pl: pl.product_id == self.concrete)
        self.assertEqual((line.discount, line.price_subtotal), (2.0, 3245.76))
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, line)
