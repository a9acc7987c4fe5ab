from odoo import Command
from odoo.addons.construction_base.tests.common import ConstructionCase
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSiteReceiptTour(HttpCase, ConstructionCase):
    """A site supervisor receives part of a delivery on a phone."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Tour Aggregates"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Gravel",
                "default_code": "TOUR-GRAVEL",
                "type": "consu",
                "purchase_method": "receive",
            }
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        cls.order = (
            cls.env["purchase.order"]
            .with_company(cls.company_a)
            .create(
                {
                    "name": "PO-TOUR-0001",
                    "partner_id": cls.vendor.id,
                    "company_id": cls.company_a.id,
                    "picking_type_id": warehouse.in_type_id.id,
                    "job_id": cls.job.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_qty": 10,
                                "price_unit": 30,
                                "phase_id": cls.phase_1.id,
                                "cost_code_id": cls.cc_concrete.id,
                            }
                        )
                    ],
                }
            )
        )
        cls.order.button_confirm()
        cls.picking = cls.order.picking_ids
        cls.line = cls.order.order_line

    def test_site_receipt_tour(self):
        """Receive 5 of 10 at phone width: done picking, backorder of 5, 5 received."""
        self.assertEqual(self.picking.job_id, self.job)
        self.assertEqual(self.picking.state, "assigned")
        self.start_tour(
            "/odoo/action-construction_procurement.stock_picking_action_site_receive",
            "construction_procurement_site_receipt",
            login=self.user_supervisor.login,
        )
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.picking.move_ids.quantity, 5)
        self.assertEqual(self.picking.site_received_by, self.user_supervisor)
        self.assertIn("Five bags short", self.picking.site_note)
        backorder = self.picking.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.state, "assigned")
        self.assertEqual(backorder.job_id, self.job)
        self.assertEqual(backorder.move_ids.product_uom_qty, 5)
        self.assertEqual(self.line.qty_received, 5)
        self.assertEqual(self.line.received_amount, 150)
