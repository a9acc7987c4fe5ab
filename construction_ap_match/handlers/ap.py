"""Apply ap.vendor_bill: create the draft bill, link PO lines, keep the source, match."""

from odoo import Command
from odoo.addons.construction_connector.domain.errors import (
    unknown_reference as _unknown,
)
from odoo.addons.construction_connector.handlers import references
from odoo.addons.construction_procurement.handlers import procurement


def apply_vendor_bills(inbound, batch):
    env = inbound.env
    Move = env["account.move"].sudo()
    results = {}
    # One search per reference kind for the whole batch.
    existing = {
        (move.company_id.id, move.construction_external_id): move
        for move in Move.search(
            [("construction_external_id", "in", [p.external_id for _m, p in batch])]
        )
    }
    vendors = references.vendors_by_source(env, [(m.source_code, p.vendor) for m, p in batch])
    order_of = procurement.orders_by_reference(env, [(m, p) for m, p in batch if p.purchase_order])
    products = references.products(env, [ln.product for _m, p in batch for ln in p.lines])
    currencies = {
        currency.name: currency
        for currency in env["res.currency"]
        .sudo()
        .with_context(active_test=False)
        .search([("name", "in", list({p.currency for _m, p in batch if p.currency}))])
    }
    codes = {
        (code.company_id.id, code.code): code
        for code in env["construction.cost.code"]
        .sudo()
        .search(
            [
                (
                    "code",
                    "in",
                    list({ln.cost_code for _m, p in batch for ln in p.lines if ln.cost_code}),
                )
            ]
        )
    }
    created = []
    for message, payload in batch:
        company = message.company_id
        if (company.id, payload.external_id) in existing:
            results[message.id] = ("account.move", existing[(company.id, payload.external_id)].ids)
            continue
        vendor = vendors[message.source_code].get(payload.vendor)
        if not vendor:
            results[message.id] = _unknown("payload.vendor", f"Unknown vendor {payload.vendor!r}.")
            continue
        order = None
        if payload.purchase_order:
            order = order_of(message, payload.purchase_order)
            if not order:
                results[message.id] = procurement.unknown_order(payload.purchase_order)
                continue
        currency = currencies.get(payload.currency) if payload.currency else company.currency_id
        if not currency:
            results[message.id] = _unknown(
                "payload.currency", f"Unknown currency {payload.currency!r}."
            )
            continue
        line_commands, error = [], None
        for index, line in enumerate(payload.lines):
            po_line = None
            if order and line.purchase_line is not None:
                po_line = order.order_line.filtered(
                    lambda pl, s=line.purchase_line: pl.sequence == s
                )[:1]
                if not po_line:
                    error = _unknown(
                        f"payload.lines.{index}.purchase_line",
                        f"{order.name} has no line with sequence {line.purchase_line}.",
                    )
                    break
            product = products.get(line.product) if line.product else None
            if line.product and not product:
                error = _unknown(
                    f"payload.lines.{index}.product", f"Unknown product {line.product!r}."
                )
                break
            if order and not po_line and product:
                po_line = (
                    order.order_line.filtered(lambda pl, p=product: pl.product_id == p)[:1] or None
                )
            values = po_line._prepare_account_move_line() if po_line else {}
            values.update(
                quantity=float(line.quantity),
                price_unit=float(line.price_unit),
                name=line.description
                or values.get("name")
                or (product.display_name if product else "/"),
            )
            if product and not po_line:
                values["product_id"] = product.id
            if line.cost_code:
                code = codes.get((company.id, line.cost_code))
                if not code:
                    error = _unknown(
                        f"payload.lines.{index}.cost_code", f"Unknown cost code {line.cost_code!r}."
                    )
                    break
                values["cost_code_id"] = code.id
            if line.phase and po_line and po_line.job_id:
                phase = po_line.job_id.phase_ids.filtered(lambda ph, c=line.phase: ph.code == c)
                if not phase:
                    error = _unknown(
                        f"payload.lines.{index}.phase",
                        f"Job {po_line.job_id.job_code} has no phase {line.phase!r}.",
                    )
                    break
                values["phase_id"] = phase.id
            values.pop("display_type", None)
            line_commands.append(Command.create(values))
        if error:
            results[message.id] = error
            continue
        created.append(
            (
                message,
                {
                    "move_type": "in_invoice",
                    "company_id": company.id,
                    "partner_id": vendor.id,
                    "ref": payload.invoice_number,
                    "invoice_date": payload.invoice_date,
                    "invoice_date_due": payload.due_date,
                    "currency_id": currency.id,
                    "invoice_origin": order.name if order else False,
                    "construction_amount_declared": float(payload.amount_total),
                    "construction_external_id": payload.external_id,
                    "construction_source_ref": f"{message.source_code}/{message.idempotency_key}",
                    "invoice_line_ids": line_commands,
                },
            )
        )
    moves = Move.with_context(default_move_type="in_invoice").create([vals for _m, vals in created])
    moves._construction_match()
    for (message, _vals), move in zip(created, moves, strict=True):
        results[message.id] = ("account.move", move.ids)
    return results
