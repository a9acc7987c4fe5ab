from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ProcurementCase


@tagged("post_install", "-at_install")
class TestSupervisorRules(ProcurementCase):
    def test_supervisor_sees_and_receives_only_for_their_jobs(self):
        po_mine = self.job_po([(self.concrete, 10, 30)])
        po_other = self.job_po(
            [(self.concrete, 10, 30)], phase=self.job_2.phase_ids, job_id=self.job_2.id
        )
        (po_mine | po_other).button_confirm()
        Picking = self.env["stock.picking"].with_user(self.user_supervisor)
        seen = Picking.search([("picking_type_code", "=", "incoming"), ("job_id", "!=", False)])
        self.assertEqual(seen, po_mine.picking_ids)
        with self.assertRaises(AccessError):
            po_other.picking_ids.with_user(self.user_supervisor).read(["name"])
        picking = po_mine.picking_ids.with_user(self.user_supervisor)
        picking.move_ids.quantity = 10
        picking.action_site_validate()
        self.assertEqual(po_mine.picking_ids.state, "done")
        self.assertEqual(po_mine.picking_ids.site_received_by, self.user_supervisor)

    def test_requisitions_visible_to_requesters_and_job_team(self):
        mine = self.requisition(
            [{"name": "Tie wire", "product_qty": 2, "cost_code_id": self.cc_concrete.id}]
        )
        other = self.requisition(
            [{"name": "Sand", "product_qty": 2, "cost_code_id": self.cc_concrete.id}],
            job_id=self.job_2.id,
            phase_id=False,
        )
        self.assertEqual(
            self.Requisition.with_user(self.user_supervisor).search(
                [("id", "in", (mine | other).ids)]
            ),
            mine,
        )
        own = self.Requisition.with_user(self.user_supervisor).create(
            {
                "job_id": self.job.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {"name": "Gloves", "product_qty": 1, "cost_code_id": self.cc_concrete.id},
                    )
                ],
            }
        )
        self.assertEqual(own.requested_by, self.user_supervisor)
        self.assertEqual(
            self.Requisition.with_user(self.user_construction).search(
                [("id", "in", (mine | other).ids)]
            ),
            mine | other,
        )

    def test_company_isolation(self):
        requisition = self.requisition(
            [{"name": "Tie wire", "product_qty": 2, "cost_code_id": self.cc_concrete.id}]
        )
        with self.assertRaises(AccessError):
            requisition.with_user(self.user_b).read(["name"])
