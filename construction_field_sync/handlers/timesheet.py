"""Apply field.timesheet batches: crew time from the field apps.

An entry (the app's ``external_id``) is the time of one employee, or of a
crew (``employees``): one hr_timesheet line per person, on the job, phase
and cost code, costed by hr_timesheet at the employee's hourly cost, and
submitted for the supervisor's approval. The lines of a crew entry share
its ``external_id`` and are told apart by employee. A later version updates
the lines of the people still in it, adds lines for people added and
withdraws those of people removed; a line already approved is not
overwritten: the change (or the withdrawal) becomes an amendment for its
approver.

The offline rules apply per entry: the entry's stored ``occurred_at`` is the
newest of its lines (and of the amendments waiting on them). Every person of
an entry is checked (references, coding, the daily limit across jobs and
within the batch, dates in the future) before anything is written, so an
entry with one bad person applies nobody. A batch costs one search per kind
of reference, one search of the stored entries, one read of the day's hours
and one create for every new line.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from odoo import fields
from odoo.addons.construction_connector.domain.errors import INVALID_VALUE, ApiError

from ..domain import timesheet_rules as rules
from ..domain.offline import Action, Stored, decide
from . import common
from .common import Applied, PermanentError, References

MODEL = "account.analytic.line"
# The line values an entry sets; compared to tell a change from a resend.
VALUE_FIELDS = ("project_id", "unit_amount", "date", "name", "phase_id", "cost_code_id")


@dataclass
class Person:
    """One person of an entry, resolved."""

    index: int
    employee: object
    job: object
    phase: object
    code: object
    hours: Decimal
    description: str | None
    prefix: str

    def values(self, env, payload):
        return {
            "project_id": self.job.id,
            "unit_amount": float(self.hours),
            "date": payload.date,
            "name": self.description or env._("Field time: %(code)s", code=self.code.display_name),
            "phase_id": self.phase.id or False,
            "cost_code_id": self.code.id,
        }


@dataclass
class Entry:
    """One message to apply: the action, its stored lines, its people."""

    message: object
    payload: object
    action: Action
    lines: object
    people: list = field(default_factory=list)
    holds: dict = field(default_factory=dict)
    job: object = None


def _stored_entries(Line, batch):
    """{(source id, external id): lines} of the entries the batch names, and
    {key: newest occurred_at} (of the lines and of amendments waiting on them)."""
    sources = list({message.source_id.id for message, _p in batch})
    external_ids = list({payload.external_id for _m, payload in batch})
    lines = Line.with_context(active_test=False).search(
        [
            ("field_external_id", "in", external_ids),
            ("field_source_id", "in", sources),
            ("employee_id", "!=", False),
            ("project_id", "!=", False),
        ]
    )
    by_key = defaultdict(Line.browse)
    for line in lines:
        by_key[(line.field_source_id.id, line.field_external_id)] |= line
    newest = {}
    for key, entry_lines in by_key.items():
        stamps = [stamp for stamp in entry_lines.mapped("field_occurred_at") if stamp]
        newest[key] = max(stamps) if stamps else None
    approved = lines.filtered(lambda line: line.field_state == "approved")
    if approved:
        amendments = (
            Line.env["construction.field.amendment"]
            .sudo()
            .search_read(
                [("res_model", "=", MODEL), ("res_id", "in", approved.ids)],
                ["res_id", "occurred_at"],
            )
        )
        line_key = {line.id: (line.field_source_id.id, line.field_external_id) for line in approved}
        for amendment in amendments:
            key, stamp = line_key[amendment["res_id"]], amendment["occurred_at"]
            if stamp and (newest.get(key) is None or stamp > newest[key]):
                newest[key] = stamp
    return by_key, newest


def _resolve(refs, message, payload, members):
    """The people of an entry, or the PermanentError of the first bad one."""
    coding = refs.coding(message, payload.project, payload.phase, payload.cost_code)
    if isinstance(coding, PermanentError):
        return coding
    crew = payload.employees is not None
    people = []
    for index, member in enumerate(members):
        prefix = f"payload.employees.{index}" if crew else "payload"
        employee = refs.employee(message, member.employee, f"{prefix}.employee")
        if isinstance(employee, PermanentError):
            return employee
        job, phase, code = coding
        if (member.phase, member.cost_code) != (payload.phase, payload.cost_code):
            own = refs.coding(
                message, payload.project, member.phase, member.cost_code, prefix=prefix
            )
            if isinstance(own, PermanentError):
                return own
            job, phase, code = own
        people.append(
            Person(index, employee, job, phase, code, member.hours, member.description, prefix)
        )
    return people


def _check_limits(Line, entries):
    """Run the daily limit and the future-date rule over the live entries of
    the batch, company by company, in order. Returns {message id: error} of
    the refused ones and sets the hold reasons of the others."""
    employees = Line.env["hr.employee"].union(
        *[person.employee for entry in entries for person in entry.people]
    )
    today = Line._field_today(employees)
    Line.env["construction.field.day.claim"].sudo()._claim(
        (person.employee.id, entry.payload.date) for entry in entries for person in entry.people
    )
    exclude = [line_id for entry in entries for line_id in entry.lines.ids]
    stored = Line._field_day_hours(
        employees.ids, [entry.payload.date for entry in entries], exclude
    )
    by_company = defaultdict(list)
    for entry in entries:
        by_company[entry.message.company_id].append(entry)
    errors = {}
    for company, company_entries in by_company.items():
        groups = [
            [
                rules.TimeEntry(
                    person.employee.id,
                    person.employee.name,
                    entry.payload.date,
                    person.hours,
                    today[person.employee.id],
                    field=f"{person.prefix}.hours",
                )
                for person in entry.people
            ]
            for entry in company_entries
        ]
        verdicts = rules.check_entries(
            groups,
            stored,
            Decimal(str(company.construction_field_daily_hours)),
            company.construction_field_limit_action,
        )
        for entry, verdict in zip(company_entries, verdicts, strict=True):
            if verdict.refused:
                errors[entry.message.id] = PermanentError(
                    [
                        ApiError(INVALID_VALUE, breach.field, breach.message())
                        for breach in verdict.all_breaches()
                    ]
                )
                continue
            for index, breaches in verdict.breaches.items():
                entry.holds[index] = "\n".join(Line._field_breach_text(b) for b in breaches)
    return errors


def _changed_names(line, values):
    """The names of the value fields ``values`` would change on ``line``."""
    names = set()
    for name in VALUE_FIELDS:
        current = line[name]
        if hasattr(current, "_name"):
            current = current.id or False
        wanted = values[name]
        if name == "unit_amount":
            if abs((current or 0.0) - wanted) > 1e-6:
                names.add(name)
        elif current != wanted:
            names.add(name)
    return names


def _changes(line, values):
    """The ORM values that differ (JSON-friendly, for an amendment) and a summary."""
    changed, parts = {}, []
    for name in sorted(_changed_names(line, values), key=VALUE_FIELDS.index):
        current, wanted = line[name], values[name]
        label = line._fields[name]._description_string(line.env)
        if hasattr(current, "_name"):
            new = line.env[current._name].browse(wanted) if wanted else current.browse()
            changed[name] = wanted
            parts.append(f"{label}: {current.display_name or '-'} → {new.display_name or '-'}")
        elif name == "unit_amount":
            changed[name] = wanted
            parts.append(f"{label}: {current:.2f} → {wanted:.2f}")
        elif name == "date":
            changed[name] = fields.Date.to_string(wanted)
            parts.append(f"{label}: {fields.Date.to_string(current)} → {changed[name]}")
        else:
            changed[name] = wanted
            parts.append(f"{label}: {current or '-'} → {wanted or '-'}")
    return changed, parts


def _propose(env, line, entry, values=None, hold=None):
    """An amendment for an approved line: a change, or (``values`` None) a withdrawal."""
    Amendment = env["construction.field.amendment"]
    who = f"{line.employee_id.name}, {fields.Date.to_string(line.date)}"
    if values is None:
        summary = env._(
            "The field app withdrew %(external_id)s: the approved time of %(who)s "
            "(%(hours)s h) would stop counting.",
            external_id=entry.payload.external_id,
            who=who,
            hours=f"{line.unit_amount:.2f}",
        )
        return Amendment._propose(
            line,
            {},
            summary,
            kind="withdraw",
            message=entry.message,
            device=entry.payload.device,
        )
    changed, parts = _changes(line, values)
    if not changed:
        return None
    summary = env._(
        "The field app changed the approved time of %(who)s: %(changes)s",
        who=who,
        changes="; ".join(parts),
    )
    if hold:
        summary += "\n" + env._("It breaks a limit: %(reason)s", reason=hold)
    return Amendment._propose(
        line, changed, summary, kind="change", message=entry.message, device=entry.payload.device
    )


def _new_line(env, entry, person):
    """The values of a new line for ``person`` of ``entry``."""
    return {
        **person.values(env, entry.payload),
        **common.field_values(entry.message, entry.payload),
        "employee_id": person.employee.id,
        "field_state": "submitted",
        "field_hold_reason": entry.holds.get(person.index) or False,
    }


def _bookkeeping(entry):
    values = common.field_values(entry.message, entry.payload)
    values.pop("field_external_id")
    values.pop("field_source_id")
    return values


def _withdraw(env, entry, lines):
    """Withdraw ``lines``; approved ones only through their approver (an
    amendment each). Returns the approved ones, still counting."""
    approved = lines.filtered(lambda line: line.field_state == "approved")
    open_lines = lines - approved
    if open_lines:
        open_lines._field_withdraw(entry.message.occurred_at or fields.Datetime.now())
    for line in approved:
        _propose(env, line, entry)
    return approved


def _apply_update(env, Line, entry, creates, writes):
    """Update an entry's lines for its new version; returns (kept line ids, notes)."""
    by_employee = {line.employee_id.id: line for line in entry.lines}
    bookkeeping = _bookkeeping(entry)
    amended, overwritten, kept = Line.browse(), Line.browse(), []
    for person in entry.people:
        values = person.values(env, entry.payload)
        hold = entry.holds.get(person.index) or False
        line = by_employee.pop(person.employee.id, None)
        if line is None:
            creates.append((entry, _new_line(env, entry, person)))
            continue
        kept.append(line.id)
        if line.field_state == "approved":
            if _propose(env, line, entry, values, hold):
                amended |= line
            else:
                writes.append((line, bookkeeping))
            continue
        update = dict(bookkeeping, field_hold_reason=hold)
        changed = _changed_names(line, values)
        if changed:
            overwritten |= line
            update.update({name: values[name] for name in changed})
        if line.field_state != "submitted":
            update.update(
                field_state="submitted",
                field_rejection_reason=False,
                field_rejected_by=False,
                field_rejected_at=False,
            )
        writes.append((line, update))
    if overwritten:
        overwritten._field_keep_versions(
            entry.message.source_id, entry.payload.device, entry.message.occurred_at
        )
    removed = Line.browse([line.id for line in by_employee.values()]).filtered(
        lambda line: line.field_state != "cancelled"
    )
    withdrawn_approved = _withdraw(env, entry, removed) if removed else Line.browse()
    notes = []
    if amended or withdrawn_approved:
        approvers = (amended | withdrawn_approved).field_approved_by.mapped("name")
        notes.append(
            env._(
                "Amendment: %(count)s approved line(s) of %(external_id)s not overwritten; the "
                "change waits for %(approvers)s.",
                count=len(amended | withdrawn_approved),
                external_id=entry.payload.external_id,
                approvers=", ".join(approvers) or env._("the approver"),
            )
        )
    return kept, notes


def _hold_note(env, entry):
    if not entry.holds:
        return None
    return env._(
        "Held for the supervisor: %(reasons)s",
        reasons=" ".join(entry.holds[index] for index in sorted(entry.holds)),
    )


def apply_timesheets(inbound, batch):
    env = inbound.env
    companies = sorted({message.company_id.id for message, _p in batch})
    Line = env[MODEL].sudo().with_context(allowed_company_ids=companies)
    members = {message.id: [] if p.cancelled else p.members() for message, p in batch}
    refs = References(
        env,
        batch,
        employee_refs=[member.employee for people in members.values() for member in people],
    )
    stored, newest = _stored_entries(Line, batch)

    results, entries, synced = {}, [], []
    for message, payload in batch:
        key = (message.source_id.id, payload.external_id)
        lines = stored.get(key, Line.browse())
        state = (
            Stored(
                newest.get(key), withdrawn=all(line.field_state == "cancelled" for line in lines)
            )
            if lines
            else None
        )
        action = decide(state, message.occurred_at, payload.cancelled)
        if action == Action.STALE:
            latest = lines.sorted(lambda line: line.field_occurred_at or fields.Datetime.now())[-1]
            note = common.stale(latest, message).note
            results[message.id] = Applied(MODEL, lines.ids, note=note)
            synced.append((message, payload, lines.job_id[:1]))
            continue
        if action == Action.IGNORE_CANCELLED:
            results[message.id] = common.ignored_cancellation(Line, message, payload, lines or None)
            continue
        if action == Action.WITHDRAW:
            entries.append(Entry(message, payload, action, lines, job=lines.job_id[:1]))
            continue
        people = _resolve(refs, message, payload, members[message.id])
        if isinstance(people, PermanentError):
            results[message.id] = people
            continue
        entries.append(Entry(message, payload, action, lines, people, job=people[0].job))

    live = [entry for entry in entries if entry.action != Action.WITHDRAW]
    if live:
        results.update(_check_limits(Line, live))

    creates, writes, kept, notes_of = [], [], {}, {}
    for entry in entries:
        message = entry.message
        if message.id in results:
            continue
        if entry.action == Action.WITHDRAW:
            open_lines = entry.lines.filtered(lambda line: line.field_state != "cancelled")
            approved = _withdraw(env, entry, open_lines)
            note = env._(
                "Cancelled: %(external_id)s withdrawn (%(count)s line(s)).",
                external_id=entry.payload.external_id,
                count=len(open_lines - approved),
            )
            if approved:
                note += " " + env._(
                    "%(count)s approved line(s) stay until %(approvers)s accepts the withdrawal "
                    "(amendment).",
                    count=len(approved),
                    approvers=", ".join(approved.field_approved_by.mapped("name"))
                    or env._("the approver"),
                )
            results[message.id] = Applied(MODEL, open_lines.ids, note=note)
            synced.append((message, entry.payload, entry.job))
            continue
        notes = []
        if entry.action == Action.UPDATE:
            kept[message.id], notes = _apply_update(env, Line, entry, creates, writes)
        else:
            kept[message.id] = []
            creates.extend((entry, _new_line(env, entry, person)) for person in entry.people)
        hold = _hold_note(env, entry)
        if hold:
            notes.append(hold)
        notes_of[message.id] = notes
        synced.append((message, entry.payload, entry.job))

    # Same values, one write: the bookkeeping of a resend is shared by its lines.
    grouped = defaultdict(Line.browse)
    for line, values in writes:
        grouped[tuple(sorted(values.items()))] |= line
    for items, lines in grouped.items():
        lines.with_context(construction_field_amendment=True).write(dict(items))
    created = (
        Line._field_batch_create([values for _entry, values in creates])
        if creates
        else Line.browse()
    )
    new_ids = defaultdict(list)
    for (entry, _values), line in zip(creates, created, strict=True):
        new_ids[entry.message.id].append(line.id)

    for message_id, notes in notes_of.items():
        ids = kept[message_id] + new_ids.get(message_id, [])
        results[message_id] = Applied(MODEL, ids, note=" ".join(notes) or None)
    if synced:
        common.touch_sync_status(env, synced)
    return results
