"""What every field handler needs: batched references, coding checks, the
offline decision per message, and the sync status of the batch.

A batch costs one search per kind of reference whatever its size. Errors
name the payload field (``payload.phase``) and say what is wrong.
"""

from odoo import fields
from odoo.addons.construction_connector.domain.errors import (
    INVALID_VALUE,
    ApiError,
    Applied,
    PermanentError,
)
from odoo.addons.construction_connector.domain.errors import (
    unknown_reference as unknown,
)

from ..domain.offline import Action, decide


def invalid(field, message):
    return PermanentError(ApiError(INVALID_VALUE, field, message))


class References:
    """The jobs, phases, cost codes, employees and equipment a batch names."""

    def __init__(self, env, batch, employee_refs=(), equipment_codes=()):
        self.env = env
        live = [(m, p) for m, p in batch if not p.cancelled]
        companies = list({message.company_id.id for message, _p in batch})
        project_codes = {p.project for _m, p in live}
        jobs = (
            env["project.project"]
            .sudo()
            .with_context(active_test=False)
            .search([("job_code", "in", list(project_codes)), ("company_id", "in", companies)])
            if project_codes
            else env["project.project"]
        )
        self.jobs = {(job.company_id.id, job.job_code): job for job in jobs}
        self.phases = {(phase.project_id.id, phase.code): phase for phase in jobs.sudo().phase_ids}
        codes = {
            code
            for _m, p in live
            for code in ([p.cost_code] if getattr(p, "cost_code", None) else [])
            + [
                member.cost_code
                for member in (getattr(p, "employees", None) or [])
                if member.cost_code
            ]
        }
        found = (
            env["construction.cost.code"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(codes)), ("company_id", "in", [*companies, False])])
            if codes
            else env["construction.cost.code"]
        )
        # A company's own code wins over a shared one of the same code.
        self.cost_codes = {}
        for code in found.sorted(lambda c: bool(c.company_id)):
            for company in [code.company_id.id] if code.company_id else companies:
                self.cost_codes[(company, code.code)] = code
        self.employees = self._employees(env, set(employee_refs), companies)
        self.equipment = {}
        if equipment_codes:
            for equipment in (
                env["construction.equipment"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [("code", "in", list(set(equipment_codes))), ("company_id", "in", companies)]
                )
            ):
                self.equipment[(equipment.company_id.id, equipment.code)] = equipment

    @staticmethod
    def _employees(env, refs, companies):
        """{(company id, ref): employee} by badge, identification number or work email."""
        refs = {ref for ref in refs if ref}
        if not refs:
            return {}
        lowered = [ref.lower() for ref in refs]
        employees = (
            env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "in", companies),
                    "|",
                    "|",
                    ("barcode", "in", list(refs)),
                    ("identification_id", "in", list(refs)),
                    ("work_email", "in", list(refs) + lowered),
                ]
            )
        )
        result = {}
        for employee in employees:
            for ref in (employee.barcode, employee.identification_id, employee.work_email):
                if ref:
                    result.setdefault((employee.company_id.id, ref), employee)
                    result.setdefault((employee.company_id.id, ref.lower()), employee)
        return result

    def employee(self, message, ref, field="payload.employee"):
        """The active employee ``ref`` of the message's company, or a PermanentError."""
        company = message.company_id
        employee = self.employees.get((company.id, ref)) or self.employees.get(
            (company.id, ref.lower())
        )
        if not employee:
            return unknown(
                field,
                f"Unknown employee {ref!r} in {company.name}: give the badge, "
                "the identification number or the work email of an employee.",
            )
        if not employee.active:
            return invalid(field, f"Employee {employee.name} ({ref}) is archived.")
        return employee

    def equipment_of(self, message, code, field="payload.equipment"):
        company = message.company_id
        equipment = self.equipment.get((company.id, code))
        if not equipment:
            return unknown(field, f"Unknown equipment {code!r} in {company.name}.")
        if not equipment.active:
            return invalid(field, f"Equipment {code} is archived.")
        return equipment

    def coding(self, message, project, phase_code, cost_code, prefix="payload"):
        """(job, phase or empty, cost code) of a payload, or a PermanentError
        naming the field: unknown job, a phase of another job, an unknown or
        archived cost code, a closed job."""
        company = message.company_id
        job = self.jobs.get((company.id, project))
        if not job or not job.active:
            return unknown(f"{prefix}.project", f"Unknown project {project!r} in {company.name}.")
        if job.job_status == "closed":
            return invalid(
                f"{prefix}.project", f"Job {job.job_code} is closed and takes no new field records."
            )
        phase = self.env["construction.phase"]
        if phase_code:
            phase = self.phases.get((job.id, phase_code))
            if not phase:
                return unknown(
                    f"{prefix}.phase", f"Job {job.job_code} has no phase {phase_code!r}."
                )
        code = self.cost_codes.get((company.id, cost_code))
        if not code:
            return unknown(
                f"{prefix}.cost_code", f"Unknown cost code {cost_code!r} in {company.name}."
            )
        if not code.active:
            return invalid(f"{prefix}.cost_code", f"Cost code {cost_code} is archived.")
        return job, phase, code


def plan(model, batch):
    """[(message, payload, existing record or None, Action)] for a batch.

    ``existing`` is the record stored for (source, external_id); the action
    follows the offline rules. Messages of one record are applied one after
    the other by the connector (rounds), so a batch names each record once.
    """
    found = model._field_find([(m.source_id.id, p.external_id) for m, p in batch])
    planned = []
    for message, payload in batch:
        record = found.get((message.source_id.id, payload.external_id))
        stored = record._field_stored() if record else None
        planned.append(
            (message, payload, record, decide(stored, message.occurred_at, payload.cancelled))
        )
    return planned


def stale(record, message):
    """The result of a message older than the stored record: done, with a note."""
    return Applied(
        record._name,
        record.ids,
        note=f"Stale: {record.display_name} was last changed in the field at "
        f"{fields.Datetime.to_string(record.field_occurred_at)}; this change, made at "
        f"{fields.Datetime.to_string(message.occurred_at)}, was not applied.",
    )


def ignored_cancellation(model, message, payload, record=None):
    return Applied(
        model._name,
        record.ids if record else [],
        note=f"Cancelled: {payload.external_id} "
        + ("was already withdrawn." if record else "was never applied; nothing to withdraw."),
    )


def field_values(message, payload):
    """The offline bookkeeping every created or updated field record gets."""
    return {
        "field_external_id": payload.external_id,
        "field_source_id": message.source_id.id,
        "field_device": payload.device or False,
        "field_occurred_at": message.occurred_at or fields.Datetime.now(),
    }


def touch_sync_status(env, entries):
    """entries: [(message, payload, job)] of applied messages."""
    env["construction.field.sync.status"].sudo()._touch(
        [
            (job.id if job else False, message.source_id.id, payload.device, message.occurred_at)
            for message, payload, job in entries
        ]
    )


__all__ = ["Action", "Applied", "PermanentError", "unknown"]
