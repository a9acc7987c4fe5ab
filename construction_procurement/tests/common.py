from odoo import Command
from odoo.addons.construction_connector.tests.common import ConnectorCase


class ProcurementCase(ConnectorCase):
    """Vendors, products, approval bands and a webhook endpoint for the events."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Bills need a chart of accounts in the job's company.
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.company_a, install_demo=False
        )
        cls.Requisition = cls.env["construction.requisition"]
        cls.vendor_a = cls.env["res.partner"].create({"name": "Granite Ready-Mix"})
        cls.vendor_b = cls.env["res.partner"].create({"name": "Front Range Rebar"})
        cls.subcontractor = cls.env["res.partner"].create({"name": "Northline Steel"})
        uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.concrete = cls.env["product.product"].create(
            {
                "name": "Concrete 4000 PSI",
                "default_code": "CON-4000",
                "type": "consu",
                "uom_id": uom_unit.id,
                "uom_po_id": uom_unit.id,
                "purchase_method": "receive",
            }
        )
        cls.rebar = cls.env["product.product"].create(
            {
                "name": "Rebar #5",
                "default_code": "RB-5",
                "type": "consu",
                "purchase_method": "receive",
            }
        )
        cls.steel_work = cls.env["product.product"].create(
            {
                "name": "Steel erection",
                "default_code": "SUB-STEEL",
                "type": "service",
                "purchase_method": "receive",
            }
        )
        Rule = cls.env["construction.requisition.approval.rule"]
        Rule.create(
            [
                {
                    "name": "Up to 5,000: PM",
                    "company_id": cls.company_a.id,
                    "sequence": 1,
                    "min_amount": 0,
                    "max_amount": 5000,
                    "approver": "project_manager",
                },
                {
                    "name": "Above 5,000: controller",
                    "company_id": cls.company_a.id,
                    "sequence": 2,
                    "min_amount": 5000,
                    "max_amount": 0,
                    "approver": "group",
                    "group_id": cls.env.ref("construction_base.group_controller").id,
                },
            ]
        )
        cls.job.user_id = cls.user_pm
        cls.endpoint = cls.env["construction.sync.endpoint"].create(
            {"name": "Controls", "url": "http://127.0.0.1:9/hook"}
        )

    def requisition(self, lines, **vals):
        return self.Requisition.create(
            {
                "job_id": self.job.id,
                "phase_id": self.phase_1.id,
                "line_ids": [Command.create(line) for line in lines],
                **vals,
            }
        )

    def events(self, event_type):
        return self.env["construction.sync.outbound"].search(
            [("event_type", "=", event_type)], order="id"
        )

    def job_po(self, lines, phase=None, **vals):
        return (
            self.env["purchase.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.vendor_a.id,
                    "company_id": self.company_a.id,
                    "job_id": self.job.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "phase_id": (phase or self.phase_1).id,
                                "cost_code_id": self.cc_concrete.id,
                            }
                        )
                        for product, qty, price in lines
                    ],
                    **vals,
                }
            )
        )
