from odoo.tests import tagged

from .common import ProcurementCase


@tagged("post_install", "-at_install")
class TestProcurementMessages(ProcurementCase):
    def _run(self, *messages):
        results = self.submit(*messages)
        self.assertEqual([r["errors"] for r in results], [[] for _r in results])
        self.process()
        return self.Inbound.browse([r["id"] for r in results])

    def test_requisition_message_creates_submitted_requisition(self):
        self.env["construction.external.ref"]._bind("fieldapp", {"V-77": self.vendor_b})
        [message] = self._run(
            self.message(
                "procurement.requisition",
                {
                    "external_id": "FA-REQ-1",
                    "project": "J-9001",
                    "phase": "P2",
                    "needed_by": "2026-12-01",
                    "lines": [
                        {
                            "cost_code": "03-300",
                            "description": "Concrete",
                            "quantity": 12,
                            "product": "CON-4000",
                            "estimated_unit_cost": 150,
                            "vendor": "V-77",
                        },
                        {"cost_code": "03-310", "description": "Finishers", "quantity": 2},
                    ],
                },
            )
        )
        self.assertEqual(message.state, "done")
        requisition = self.Requisition.browse(message.result_ids)
        self.assertEqual(
            (
                requisition.state,
                requisition.job_id,
                requisition.phase_id,
                str(requisition.date_needed),
            ),
            ("submitted", self.job, self.phase_2, "2026-12-01"),
        )
        self.assertEqual(requisition.amount_total, 1800)
        self.assertEqual(
            requisition.line_ids.mapped("cost_code_id"), self.cc_concrete | self.cc_labor
        )
        self.assertEqual(requisition.line_ids[0].vendor_id, self.vendor_b)
        self.assertEqual(requisition.line_ids[0].product_id, self.concrete)
        self.assertEqual(requisition.requested_by, self.integration_user)

    def test_bad_references_go_dead_with_the_reason(self):
        messages = self._run(
            self.message(
                "procurement.requisition",
                {
                    "external_id": "FA-REQ-2",
                    "project": "J-0000",
                    "lines": [{"cost_code": "03-300", "description": "x", "quantity": 1}],
                },
            ),
            self.message(
                "procurement.requisition",
                {
                    "external_id": "FA-REQ-3",
                    "project": "J-9001",
                    "lines": [
                        {"cost_code": "03-300", "description": "x", "quantity": 1},
                        {"cost_code": "99-999", "description": "y", "quantity": 1},
                    ],
                },
            ),
            self.message("procurement.vendor_ack", {"purchase_order": "P99999"}),
            self.message(
                "field.receipt",
                {"purchase_order": "P99999", "lines": [{"product": "CON-4000", "quantity": 1}]},
            ),
        )
        self.assertEqual(set(messages.mapped("state")), {"dead"})
        self.assertEqual(
            [(m.errors[0]["field"], m.errors[0]["message"]) for m in messages],
            [
                ("payload.project", "Unknown project 'J-0000' in Test GC."),
                ("payload.lines.1.cost_code", "Unknown cost code '99-999'."),
                ("payload.purchase_order", "Unknown purchase order 'P99999'."),
                ("payload.purchase_order", "Unknown purchase order 'P99999'."),
            ],
        )
        self.assertFalse(self.Requisition.search([("external_id", "in", ["FA-REQ-2", "FA-REQ-3"])]))

    def test_vendor_ack_and_field_receipts(self):
        po = self.job_po([(self.concrete, 100, 30)])
        sub = self.job_po(
            [(self.steel_work, 200, 50)],
            partner_id=self.subcontractor.id,
            order_kind="subcontract",
            retention_percent=10,
        )
        (po | sub).button_confirm()
        sub_line = sub.order_line
        ack, stock_receipt, progress, bad_line = self._run(
            self.message(
                "procurement.vendor_ack",
                {
                    "purchase_order": po.name,
                    "vendor_reference": "SO-1",
                    "promised_date": "2026-12-03",
                },
            ),
            self.message(
                "field.receipt",
                {
                    "purchase_order": po.name,
                    "received_by": "t_supervisor",
                    "lines": [{"product": "CON-4000", "quantity": 30}],
                },
            ),
            self.message(
                "field.receipt",
                {
                    "purchase_order": sub.name,
                    "lines": [{"purchase_line": sub_line.sequence, "quantity": 50}],
                },
            ),
            self.message(
                "field.receipt",
                {"purchase_order": po.name, "lines": [{"purchase_line": 999, "quantity": 1}]},
            ),
        )
        self.assertEqual(
            (ack.state, po.partner_ref, str(po.vendor_promised_date)),
            ("done", "SO-1", "2026-12-03"),
        )
        self.assertEqual(stock_receipt.state, "done")
        self.assertEqual(po.order_line.qty_received, 30)
        done = po.picking_ids.filtered(lambda p: p.state == "done")
        self.assertEqual(done.site_received_by, self.user_supervisor)
        self.assertEqual(
            (stock_receipt.result_model, stock_receipt.result_ids), ("stock.picking", done.ids)
        )
        self.assertEqual((progress.state, sub_line.qty_received), ("done", 50))
        self.assertEqual(bad_line.state, "dead")
        self.assertEqual(bad_line.errors[0]["field"], "payload.lines.0.purchase_line")
        self.assertEqual(self.events("receipt.validated").res_id, done.id)

    def test_payload_errors_are_synchronous(self):
        [result] = self.submit(
            self.message("field.receipt", {"purchase_order": "P1", "lines": [{"quantity": 0}]})
        )
        self.assertEqual(result["state"], "rejected")
        self.assertEqual(
            sorted(e["field"] for e in result["errors"]),
            ["payload.lines.0.quantity"],
        )
