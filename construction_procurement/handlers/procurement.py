"""Apply procurement.requisition, procurement.vendor_ack and field.receipt batches."""

from collections import defaultdict

from odoo import Command
from odoo.addons.construction_connector.domain.errors import (
    ApiError,
    PermanentError,
)
from odoo.addons.construction_connector.domain.errors import (
    unknown_reference as _unknown,
)
from odoo.addons.construction_connector.handlers import references


def _jobs_by_code(env, items):
    """{(company id, code): job} for every project code of the batch, one search."""
    codes = {payload.project for _m, payload in items}
    companies = {message.company_id.id for message, _p in items}
    jobs = (
        env["project.project"]
        .sudo()
        .search([("job_code", "in", list(codes)), ("company_id", "in", list(companies))])
    )
    return {(job.company_id.id, job.job_code): job for job in jobs}


def _cost_codes(env, items, codes_of):
    codes = {code for _m, payload in items for code in codes_of(payload)}
    companies = {message.company_id.id for message, _p in items}
    found = (
        env["construction.cost.code"]
        .sudo()
        .search([("code", "in", list(codes)), ("company_id", "in", list(companies))])
    )
    return {(code.company_id.id, code.code): code for code in found}


def apply_requisitions(inbound, batch):
    env = inbound.env
    jobs = _jobs_by_code(env, batch)
    cost_codes = _cost_codes(env, batch, lambda p: [line.cost_code for line in p.lines])
    products = references.products(env, [line.product for _m, p in batch for line in p.lines])
    uoms = {
        uom.name: uom
        for uom in env["uom.uom"]
        .sudo()
        .search(
            [("name", "in", list({line.uom for _m, p in batch for line in p.lines if line.uom}))]
        )
    }
    Requisition = env["construction.requisition"].sudo()
    existing = {
        (req.company_id.id, req.external_id): req
        for req in Requisition.search([("external_id", "in", [p.external_id for _m, p in batch])])
    }
    results, to_create = {}, []
    vendors = references.vendors_by_source(
        env, [(message.source_code, line.vendor) for message, p in batch for line in p.lines]
    )
    for message, payload in batch:
        company = message.company_id
        job = jobs.get((company.id, payload.project))
        if not job:
            results[message.id] = _unknown(
                "payload.project", f"Unknown project {payload.project!r} in {company.name}."
            )
            continue
        phase = False
        if payload.phase:
            phase = job.phase_ids.filtered(lambda ph, code=payload.phase: ph.code == code)
            if not phase:
                results[message.id] = _unknown(
                    "payload.phase", f"Job {job.job_code} has no phase {payload.phase!r}."
                )
                continue
        lines, error = [], None
        for index, line in enumerate(payload.lines):
            code = cost_codes.get((company.id, line.cost_code))
            if not code:
                error = _unknown(
                    f"payload.lines.{index}.cost_code", f"Unknown cost code {line.cost_code!r}."
                )
                break
            product = products.get(line.product) if line.product else False
            if line.product and not product:
                error = _unknown(
                    f"payload.lines.{index}.product", f"Unknown product {line.product!r}."
                )
                break
            uom = uoms.get(line.uom) if line.uom else False
            if line.uom and not uom:
                error = _unknown(f"payload.lines.{index}.uom", f"Unknown unit {line.uom!r}.")
                break
            vendor = vendors[message.source_code].get(line.vendor) if line.vendor else False
            if line.vendor and not vendor:
                error = _unknown(
                    f"payload.lines.{index}.vendor", f"Unknown vendor {line.vendor!r}."
                )
                break
            values = {
                "name": line.description,
                "product_qty": float(line.quantity),
                "cost_code_id": code.id,
                "phase_id": phase.id if phase else False,
                "product_id": product.id if product else False,
                "estimated_unit_cost": float(line.estimated_unit_cost or 0),
                "vendor_id": vendor.id if vendor else False,
            }
            if uom:
                values["product_uom_id"] = uom.id
            lines.append(values)
        if error:
            results[message.id] = error
            continue
        header = {
            "job_id": job.id,
            "phase_id": phase.id if phase else False,
            "date_needed": payload.needed_by,
            "external_id": payload.external_id,
            "requested_by": message.submitted_by.id or env.uid,
        }
        requisition = existing.get((company.id, payload.external_id))
        if requisition:
            if requisition.state not in ("draft", "submitted"):
                results[message.id] = PermanentError(
                    ApiError(
                        "invalid_value",
                        "payload.external_id",
                        f"Requisition {requisition.name} is {requisition.state}: it can no "
                        "longer be changed from outside.",
                    )
                )
                continue
            requisition.write(
                {**header, "line_ids": [Command.clear()] + [Command.create(v) for v in lines]}
            )
            results[message.id] = ("construction.requisition", [requisition.id])
        else:
            to_create.append((message, {**header, "line_ids": [Command.create(v) for v in lines]}))
    created = Requisition.create([vals for _m, vals in to_create])
    drafts = created.filtered(lambda r: r.state == "draft")
    drafts.action_submit()
    for (message, _vals), requisition in zip(to_create, created, strict=True):
        results[message.id] = ("construction.requisition", [requisition.id])
    return results


def orders_by_reference(env, batch):
    """Purchase orders by name or by the external id they were created with."""
    refs = {payload.purchase_order for _m, payload in batch}
    orders = (
        env["purchase.order"]
        .sudo()
        .search(["|", ("name", "in", list(refs)), ("external_id", "in", list(refs))])
    )
    found = {}
    for order in orders:
        found[(order.company_id.id, order.name)] = order
        if order.external_id:
            found[(order.company_id.id, order.external_id)] = order
    return lambda message, ref: found.get((message.company_id.id, ref))


def unknown_order(ref):
    return _unknown("payload.purchase_order", f"Unknown purchase order {ref!r}.")


def apply_vendor_acks(inbound, batch):
    env = inbound.env
    order_of = orders_by_reference(env, batch)
    results = {}
    for message, payload in batch:
        order = order_of(message, payload.purchase_order)
        if not order:
            results[message.id] = unknown_order(payload.purchase_order)
            continue
        order._record_vendor_ack(payload.vendor_reference, payload.promised_date)
        results[message.id] = ("purchase.order", [order.id])
    return results


def apply_receipts(inbound, batch):
    """Stock lines: set the quantities on the open receipt and validate it (a
    backorder keeps the rest); service and subcontract lines: progress receipts."""
    env = inbound.env
    order_of = orders_by_reference(env, batch)
    products = references.products(env, [line.product for _m, p in batch for line in p.lines])
    receivers = references.users(env, [p.received_by for _m, p in batch])
    results = {}
    for message, payload in batch:
        order = order_of(message, payload.purchase_order)
        if not order:
            results[message.id] = unknown_order(payload.purchase_order)
            continue
        po_lines = order.order_line.filtered(lambda pl: not pl.display_type)
        resolved, error = [], None
        for index, line in enumerate(payload.lines):
            if line.purchase_line is not None:
                match = po_lines.filtered(lambda pl, seq=line.purchase_line: pl.sequence == seq)
                field = f"payload.lines.{index}.purchase_line"
                label = f"line sequence {line.purchase_line}"
            else:
                product = products.get(line.product)
                match = po_lines.filtered(lambda pl, p=product: p and pl.product_id == p)
                field = f"payload.lines.{index}.product"
                label = f"product {line.product!r}"
            if not match:
                error = _unknown(field, f"{order.name} has no {label}.")
                break
            resolved.append((match[0], float(line.quantity)))
        if error:
            results[message.id] = error
            continue
        user = receivers.get(payload.received_by) or message.submitted_by
        receipts = env["construction.progress.receipt"].sudo()
        stock_quantities = defaultdict(float)
        progress = []
        for po_line, quantity in resolved:
            if po_line.qty_received_method == "manual":
                progress.append(
                    {
                        "purchase_line_id": po_line.id,
                        "quantity": quantity,
                        "date": (payload.received_at or message.received_at).date(),
                        "received_by": user.id,
                        "external_id": payload.external_id,
                        "note": f"{message.source_code} {message.idempotency_key}",
                    }
                )
            else:
                stock_quantities[po_line] += quantity
        created = receipts.create(progress) if progress else receipts
        result_ids = [("construction.progress.receipt", created.ids)] if created else []
        if stock_quantities:
            pickings = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
            )
            done = pickings._receive_quantities(stock_quantities, user)
            result_ids.append(("stock.picking", done.ids))
        model, ids = result_ids[-1] if result_ids else ("purchase.order", [order.id])
        results[message.id] = (model, ids)
    return results
