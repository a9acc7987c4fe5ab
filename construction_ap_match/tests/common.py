from odoo import Command
from odoo.addons.construction_procurement.tests.common import ProcurementCase


class MatchCase(ProcurementCase):
    """A confirmed job PO for 100 units of concrete at 30.00, 60 received."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "construction_match_level": "three_way",
                "construction_match_action": "block",
                "construction_total_tolerance_amount": 0.01,
            }
        )
        cls.buyer = cls.user_procurement
        cls.po = cls.job_po(cls, [(cls.concrete, 100, 30)], user_id=cls.buyer.id)
        cls.po.button_confirm()
        cls.po_line = cls.po.order_line
        cls.po.picking_ids._receive_quantities({cls.po_line: 60}, cls.user_supervisor)

    def bill(self, quantity, price, ref="INV-1001", po_line=None, **vals):
        po_line = po_line or self.po_line
        line_vals = po_line._prepare_account_move_line()
        line_vals.update(quantity=quantity, price_unit=price)
        line_vals.pop("display_type", None)
        return (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": po_line.order_id.partner_id.id,
                    "ref": ref,
                    "invoice_date": "2026-11-20",
                    "invoice_line_ids": [Command.create(line_vals)],
                    **vals,
                }
            )
        )

    def open_exceptions(self, bill):
        return bill.construction_exception_ids.filtered(lambda e: e.state == "open")
