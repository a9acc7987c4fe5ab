"""Apply field.equipment_usage batches: equipment hours booked to a job, phase
and cost code at the equipment's hourly rate.

One search per kind of reference (jobs, phases, cost codes, equipment,
operators, stored usages), one create for the new usages and one for their
analytic lines, whatever the size of the batch. The offline rules
(``domain/offline.py``) decide what each message does to the usage it names.
"""

from collections import defaultdict

from odoo import fields
from odoo.tools import float_compare

from ..domain.field_dates import future_date_error
from .common import (
    Action,
    Applied,
    PermanentError,
    References,
    field_values,
    ignored_cancellation,
    invalid,
    plan,
    stale,
    touch_sync_status,
)

MODEL = "construction.equipment.usage"
# Creating thousands of usages from the field: no follower, no creation log.
QUIET = {"mail_create_nosubscribe": True, "mail_create_nolog": True, "mail_notrack": True}


def _resolve(env, refs, message, payload, now):
    """(job, ORM values) of a live payload, or a PermanentError naming the field."""
    coding = refs.coding(message, payload.project, payload.phase, payload.cost_code)
    if isinstance(coding, PermanentError):
        return coding
    job, phase, code = coding
    if code.cost_type != "equipment":
        return invalid(
            "payload.cost_code",
            f"Cost code {code.code} is of type {code.cost_type}, not equipment: equipment "
            "hours go on a cost code of type equipment.",
        )
    equipment = refs.equipment_of(message, payload.equipment)
    if isinstance(equipment, PermanentError):
        return equipment
    employee = env["hr.employee"]
    if payload.employee:
        employee = refs.employee(message, payload.employee)
        if isinstance(employee, PermanentError):
            return employee
    error = future_date_error(payload.date, now)
    if error:
        return invalid("payload.date", error)
    return job, {
        "equipment_id": equipment.id,
        "job_id": job.id,
        "phase_id": phase.id or False,
        "cost_code_id": code.id,
        "date": payload.date,
        "hours": float(payload.hours),
        "employee_id": employee.id or False,
        "description": payload.description or False,
    }


def changed_values(record, values):
    """The ``values`` that differ from what ``record`` holds."""
    changes = {}
    for name, value in values.items():
        field = record._fields[name]
        current = record[name]
        if field.type == "many2one":
            differs = (current.id or False) != (value or False)
        elif field.type in ("float", "monetary"):
            differs = float_compare(current or 0.0, value or 0.0, precision_digits=6) != 0
        else:
            differs = (current or False) != (value or False)
        if differs:
            changes[name] = value
    return changes


def describe_changes(record, changes):
    """The changes as the approver reads them: ``hours: 6 -> 7``."""
    parts = []
    for name, value in changes.items():
        field = record._fields[name]
        old = record[name]
        if field.type == "many2one":
            old = old.display_name or "-"
            new = record.env[field.comodel_name].browse(value).display_name if value else "-"
        elif field.type == "date":
            old = fields.Date.to_string(old) if old else "-"
            new = fields.Date.to_string(value) if value else "-"
        else:
            old = "-" if old is False else old
            new = "-" if value is False else value
        parts.append(f"{field.string}: {old} -> {new}")
    return "; ".join(parts)


def json_values(record, changes):
    """ORM write values that a fields.Json can hold (dates as text)."""
    return {
        name: fields.Date.to_string(value) if record._fields[name].type == "date" else value
        for name, value in changes.items()
    }


def propose_amendments(env, record, message, payload, changes):
    """Hold a change to an approved record for its approver; the result."""
    approver = record._field_amendment_approver()
    summary = f"{record.display_name}: {describe_changes(record, changes)}"
    env["construction.field.amendment"]._propose(
        record,
        json_values(record, changes),
        summary,
        kind="change",
        message=message,
        device=payload.device,
    )
    return Applied(
        record._name,
        record.ids,
        note=f"Amendment: {record.display_name} is approved; the change ({summary}) waits "
        f"for {approver.name or 'the approver'} to accept it.",
    )


def propose_withdrawal(env, record, message, payload):
    approver = record._field_amendment_approver()
    env["construction.field.amendment"]._propose(
        record,
        {},
        f"Withdraw {record.display_name}: cancelled in the field app.",
        kind="withdraw",
        message=message,
        device=payload.device,
    )
    return Applied(
        record._name,
        record.ids,
        note=f"Amendment: {record.display_name} is approved; its withdrawal waits for "
        f"{approver.name or 'the approver'} to accept it.",
    )


def keep_versions(updates):
    """Keep the versions that ``updates`` [(record, message, payload)] overwrite,
    one call per (source, device, occurred_at)."""
    groups = defaultdict(list)
    for record, message, payload in updates:
        groups[(message.source_id, payload.device or False, message.occurred_at)].append(record)
    for (source, device, occurred_at), records in groups.items():
        records[0].browse([record.id for record in records])._field_keep_versions(
            source, device, occurred_at
        )


def apply_equipment_usages(inbound, batch):
    env = inbound.env
    Usage = env[MODEL].sudo().with_context(**QUIET)
    live = [p for _m, p in batch if not p.cancelled]
    refs = References(
        env,
        batch,
        employee_refs=[p.employee for p in live if p.employee],
        equipment_codes=[p.equipment for p in live],
    )
    now = fields.Datetime.now()
    results, touched = {}, []
    to_create, to_update = [], []
    for message, payload, record, action in plan(Usage, batch):
        if action == Action.STALE:
            results[message.id] = stale(record, message)
            touched.append((message, payload, record.job_id))
            continue
        if action == Action.IGNORE_CANCELLED:
            results[message.id] = ignored_cancellation(Usage, message, payload, record)
            touched.append((message, payload, record.job_id if record else None))
            continue
        if action == Action.WITHDRAW:
            record._field_withdraw(message.occurred_at)
            results[message.id] = Applied(
                MODEL, record.ids, note=f"Withdrawn: {record.display_name} no longer counts."
            )
            touched.append((message, payload, record.job_id))
            continue
        if action == Action.AMEND_WITHDRAW:
            results[message.id] = propose_withdrawal(env, record, message, payload)
            touched.append((message, payload, record.job_id))
            continue
        resolved = _resolve(env, refs, message, payload, now)
        if isinstance(resolved, PermanentError):
            results[message.id] = resolved
            continue
        job, values = resolved
        touched.append((message, payload, job))
        if action == Action.CREATE:
            to_create.append((message, {**values, **field_values(message, payload)}))
        elif action == Action.AMEND:
            changes = changed_values(record, values)
            if not changes:
                results[message.id] = Applied(
                    MODEL,
                    record.ids,
                    note=f"Unchanged: {record.display_name} is approved with these values.",
                )
                continue
            results[message.id] = propose_amendments(env, record, message, payload, changes)
        else:
            to_update.append((record, message, payload, changed_values(record, values)))

    keep_versions([(record, m, p) for record, m, p, changes in to_update if changes])
    for record, message, payload, changes in to_update:
        bookkeeping = field_values(message, payload)
        bookkeeping.pop("field_external_id")
        bookkeeping.pop("field_source_id")
        # A newer change after a rejection or a withdrawal submits it again.
        record._field_resubmit()
        record.write({**changes, **bookkeeping})
        results[message.id] = (MODEL, record.ids)

    created = Usage.create([vals for _m, vals in to_create])
    for (message, _vals), usage in zip(to_create, created, strict=True):
        results[message.id] = (MODEL, usage.ids)
    touch_sync_status(env, touched)
    return results
