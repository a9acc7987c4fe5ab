from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class ConstructionRequisitionOrderWizard(models.TransientModel):
    """Turn approved requisition lines into RFQs, one per vendor, partially if wanted."""

    _name = "construction.requisition.order.wizard"
    _description = "Create RFQs from Requisitions"

    line_ids = fields.One2many("construction.requisition.order.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        requisitions = self.env["construction.requisition"].browse(
            self.env.context.get("active_ids", [])
        )
        lines = requisitions.filtered(
            lambda r: r.state in ("approved", "partially_ordered")
        ).line_ids.filtered(lambda line: line.qty_to_order > 0)
        values["line_ids"] = [
            Command.create(
                {
                    "requisition_line_id": line.id,
                    "product_id": line.product_id.id,
                    "vendor_id": line.vendor_id.id,
                    "quantity": line.qty_to_order,
                    "price_unit": line.estimated_unit_cost,
                }
            )
            for line in lines
        ]
        return values

    def _default_product(self):
        return self.env.ref("construction_procurement.product_construction_material")

    def action_create_rfqs(self):
        """One RFQ per vendor and company; each PO line keeps its requisition line,
        job, phase, cost code and the job's analytic account."""
        self.ensure_one()
        selected = self.line_ids.filtered("selected")
        if not selected:
            raise UserError(_("Select at least one line to order."))
        groups = {}
        for line in selected:
            req_line = line.requisition_line_id
            if not line.vendor_id:
                raise UserError(
                    _(
                        "%(req)s, line %(line)s: choose a vendor.",
                        req=req_line.requisition_id.name,
                        line=req_line.name,
                    )
                )
            rounding = req_line.product_uom_id.rounding or 0.001
            if (
                float_compare(line.quantity, 0, precision_rounding=rounding) <= 0
                or float_compare(line.quantity, req_line.qty_to_order, precision_rounding=rounding)
                > 0
            ):
                raise UserError(
                    _(
                        "%(req)s, line %(line)s: order between 0 and %(max)s (%(qty)s asked).",
                        req=req_line.requisition_id.name,
                        line=req_line.name,
                        max=req_line.qty_to_order,
                        qty=line.quantity,
                    )
                )
            key = (line.vendor_id, req_line.company_id)
            groups.setdefault(key, []).append(line)
        orders = self.env["purchase.order"]
        for (vendor, company), lines in groups.items():
            jobs = {line.requisition_line_id.job_id for line in lines}
            order = (
                self.env["purchase.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": vendor.id,
                        "company_id": company.id,
                        "job_id": jobs.pop().id if len(jobs) == 1 else False,
                        "origin": ", ".join(
                            sorted({line.requisition_line_id.requisition_id.name for line in lines})
                        ),
                        "order_line": [
                            Command.create(self._prepare_po_line(line)) for line in lines
                        ],
                    }
                )
            )
            orders |= order
        selected.requisition_line_id.requisition_id._sync_order_state()
        return {
            "type": "ir.actions.act_window",
            "name": _("Requests for Quotation"),
            "res_model": "purchase.order",
            "view_mode": "list,form",
            "domain": [("id", "in", orders.ids)],
        }

    def _prepare_po_line(self, line):
        req_line = line.requisition_line_id
        product = line.product_id or req_line.product_id or self._default_product()
        values = {
            "product_id": product.id,
            "name": req_line.name,
            "product_qty": line.quantity,
            "product_uom": (req_line.product_uom_id or product.uom_po_id).id,
            "price_unit": line.price_unit,
            "requisition_line_id": req_line.id,
            "job_id": req_line.job_id.id,
            "phase_id": req_line.phase_id.id,
            "cost_code_id": req_line.cost_code_id.id,
        }
        if req_line.date_needed or req_line.requisition_id.date_needed:
            values["date_planned"] = req_line.date_needed or req_line.requisition_id.date_needed
        return values
