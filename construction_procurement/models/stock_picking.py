from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain.commitment import over_receipt


class StockPicking(models.Model):
    _inherit = "stock.picking"

    job_id = fields.Many2one(
        "project.project",
        string="Job",
        compute="_compute_job_id",
        store=True,
        index="btree_not_null",
    )
    site_photo = fields.Image(
        string="Site Photo", max_width=1920, max_height=1920, attachment=True, copy=False
    )
    site_received_by = fields.Many2one("res.users", string="Received By", copy=False)
    site_note = fields.Text(string="Site Note", copy=False)

    @api.depends("move_ids.purchase_line_id.job_id")
    def _compute_job_id(self):
        for picking in self:
            jobs = picking.move_ids.purchase_line_id.job_id
            picking.job_id = jobs[:1]

    def _check_job_over_receipt(self):
        """Job orders: refuse receiving more than ordered beyond the company's tolerance."""
        received = defaultdict(float)
        for move in self.move_ids.filtered(
            lambda m: m.purchase_line_id.job_id and m.state != "cancel" and m.picked
        ):
            line = move.purchase_line_id
            received[line] += move.product_uom._compute_quantity(move.quantity, line.product_uom)
        for line, quantity in received.items():
            total = line.qty_received + quantity
            excess = over_receipt(
                line.product_qty, total, line.company_id.construction_over_receipt_percent
            )
            if excess:
                raise UserError(
                    _(
                        "%(order)s, line %(line)s: receiving %(total)s of %(ordered)s ordered "
                        "exceeds the company's over-receipt tolerance by %(excess)s.",
                        order=line.order_id.name,
                        line=line.name,
                        total=total,
                        ordered=line.product_qty,
                        excess=excess,
                    )
                )

    def _action_done(self):
        incoming = self.filtered(lambda p: p.picking_type_code == "incoming")
        incoming._check_job_over_receipt()
        result = super()._action_done()
        done = incoming.filtered(lambda p: p.state == "done" and p.purchase_id and p.job_id)
        if done:
            self.env["construction.sync.outbound"].emit(
                "receipt.validated", done, {picking.id: picking._event_data() for picking in done}
            )
        return result

    def _event_data(self):
        self.ensure_one()
        return {
            "receipt": self.name,
            "purchase_order": self.purchase_id.name,
            "job": self.job_id.job_code or None,
            "date_done": fields.Datetime.to_string(self.date_done),
            "received_by": self.site_received_by.login or None,
            "lines": [
                {
                    "product": move.product_id.default_code or None,
                    "description": move.purchase_line_id.name or move.product_id.display_name,
                    "quantity": move.quantity,
                    "purchase_line": move.purchase_line_id.sequence,
                }
                for move in self.move_ids.filtered(lambda m: m.state == "done")
            ],
        }

    def _receive_quantities(self, quantities, user):
        """Receive ``{purchase line: quantity}`` on these open receipts and validate
        them; what is left goes to a backorder, as Odoo does. Returns the done pickings."""
        remaining = dict(quantities)
        for picking in self:
            for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                line = move.purchase_line_id
                if line not in remaining or remaining[line] <= 0:
                    move.quantity = 0
                    move.picked = False
                    continue
                quantity = line.product_uom._compute_quantity(remaining[line], move.product_uom)
                move.quantity = quantity
                move.picked = True
                remaining[line] = 0
        # Anything more than the open receipts hold lands on the last move of its line,
        # where the over-receipt rule judges it.
        leftovers = {line: qty for line, qty in remaining.items() if qty > 0}
        for line, quantity in leftovers.items():
            moves = self.move_ids.filtered(lambda m, pl=line: m.purchase_line_id == pl)
            if not moves:
                raise UserError(
                    _(
                        "%(order)s has no open receipt for line %(line)s.",
                        order=line.order_id.name,
                        line=line.name,
                    )
                )
            moves[-1].quantity += line.product_uom._compute_quantity(
                quantity, moves[-1].product_uom
            )
            moves[-1].picked = True
        to_validate = self.filtered(lambda p: any(m.picked for m in p.move_ids))
        to_validate.write({"site_received_by": user.id})
        to_validate.with_context(skip_backorder=True, cancel_backorder=False).button_validate()
        return to_validate

    def action_site_validate(self):
        """The supervisor's one button: validate what was entered, backorder the rest."""
        self.ensure_one()
        if not any(move.quantity for move in self.move_ids):
            raise UserError(_("%s: enter the quantities received first.", self.name))
        for move in self.move_ids:
            move.picked = bool(move.quantity)
        self.site_received_by = self.env.user
        # The supervisor may write this receipt (checked here); the backorder
        # Odoo then creates has no moves yet, hence no job, which the
        # supervisors' record rule would refuse: validate as superuser.
        self.check_access("write")
        return (
            self.sudo().with_context(skip_backorder=True, cancel_backorder=False).button_validate()
        )
