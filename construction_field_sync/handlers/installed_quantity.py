"""Apply field.installed_quantity batches: units installed against a budget line.

There is no approval step: a recorded quantity counts at once toward its
budget line, a newer change replaces it (the version it replaces is kept),
a cancellation withdraws it. One search per kind of reference (jobs,
phases, cost codes, budget lines, units, stored records) and one create for
the new records, whatever the size of the batch.
"""

from odoo import fields

from ..domain.earned import same_unit
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
    unknown,
)
from .equipment import QUIET, changed_values, keep_versions

MODEL = "construction.installed.quantity"


class BudgetLines:
    """The budget lines and units a batch needs, one search each."""

    def __init__(self, env, refs, batch):
        self.env = env
        keys = []
        for message, payload in batch:
            if payload.cancelled:
                continue
            job = refs.jobs.get((message.company_id.id, payload.project))
            code = refs.cost_codes.get((message.company_id.id, payload.cost_code))
            if job and code:
                phase = refs.phases.get((job.id, payload.phase)) if payload.phase else None
                keys.append((job.id, phase.id if phase else False, code.id))
        self.lines = env["construction.budget.line"].sudo()._of_keys(keys)
        self._units = None

    def line(self, job, phase, code):
        return self.lines.get((job.id, phase.id or False, code.id))

    def unit(self, name):
        """The unit of measure named ``name`` (m2 is m²), or None."""
        if self._units is None:
            self._units = self.env["uom.uom"].sudo().search([])
        return next((uom for uom in self._units if same_unit(name, uom.name)), None)


def _resolve(refs, lines, message, payload, now):
    """(job, ORM values) of a live payload, or a PermanentError naming the field."""
    coding = refs.coding(message, payload.project, payload.phase, payload.cost_code)
    if isinstance(coding, PermanentError):
        return coding
    job, phase, code = coding
    line = lines.line(job, phase, code)
    if not line:
        where = (
            f"phase {phase.code} and cost code {code.code}"
            if phase
            else (f"cost code {code.code} (without phase)")
        )
        return invalid(
            "payload.cost_code",
            f"Job {job.job_code} has no budget line for {where}: installed quantities count "
            "against a budget line; add it to the job's budget first.",
        )
    uom = line.uom_id
    if payload.uom:
        if line.uom_id and not same_unit(payload.uom, line.uom_id.name):
            return invalid(
                "payload.uom",
                f"The budget line {line.display_name} of job {job.job_code} is measured in "
                f"{line.uom_id.name}, not in {payload.uom}.",
            )
        if not line.uom_id:
            uom = lines.unit(payload.uom)
            if not uom:
                return unknown("payload.uom", f"Unknown unit of measure {payload.uom!r}.")
    error = future_date_error(payload.date, now)
    if error:
        return invalid("payload.date", error)
    return job, {
        "job_id": job.id,
        "phase_id": phase.id or False,
        "cost_code_id": code.id,
        "date": payload.date,
        "quantity": float(payload.quantity),
        "uom_id": uom.id if uom else False,
        "notes": payload.notes or False,
    }


def apply_installed_quantities(inbound, batch):
    env = inbound.env
    Installed = env[MODEL].sudo().with_context(**QUIET)
    refs = References(env, batch)
    lines = BudgetLines(env, refs, batch)
    now = fields.Datetime.now()
    results, touched, to_create, to_update = {}, [], [], []
    for message, payload, record, action in plan(Installed, batch):
        if action == Action.STALE:
            results[message.id] = stale(record, message)
            touched.append((message, payload, record.job_id))
            continue
        if action == Action.IGNORE_CANCELLED:
            results[message.id] = ignored_cancellation(Installed, message, payload, record)
            touched.append((message, payload, record.job_id if record else None))
            continue
        if action in (Action.WITHDRAW, Action.AMEND_WITHDRAW):
            record._field_withdraw(message.occurred_at)
            results[message.id] = Applied(
                MODEL, record.ids, note=f"Withdrawn: {record.display_name} no longer counts."
            )
            touched.append((message, payload, record.job_id))
            continue
        resolved = _resolve(refs, lines, message, payload, now)
        if isinstance(resolved, PermanentError):
            results[message.id] = resolved
            continue
        job, values = resolved
        touched.append((message, payload, job))
        if action == Action.CREATE:
            to_create.append((message, {**values, **field_values(message, payload)}))
        else:
            to_update.append((record, message, payload, changed_values(record, values)))

    keep_versions(
        [
            (record, m, p)
            for record, m, p, changes in to_update
            if changes or record.state != "recorded"
        ]
    )
    for record, message, payload, changes in to_update:
        bookkeeping = field_values(message, payload)
        bookkeeping.pop("field_external_id")
        bookkeeping.pop("field_source_id")
        if record.state != "recorded":
            # A newer change after a withdrawal records it again.
            record.write({"state": "recorded"})
        record.write({**changes, **bookkeeping})
        results[message.id] = (MODEL, record.ids)

    created = Installed.create([vals for _m, vals in to_create])
    for (message, _vals), record in zip(to_create, created, strict=True):
        results[message.id] = (MODEL, record.ids)
    touch_sync_status(env, touched)
    return results
