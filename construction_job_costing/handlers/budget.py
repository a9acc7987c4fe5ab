"""Apply ``master.budget`` batches, and write checked budget rows to a budget.

The import wizard shares :func:`budget_lookups`, :func:`lock_budgets` and
:func:`write_rows`: a file row and a message line resolve and apply the same
way (the rules themselves are in ``domain/budget_import.py``).
"""

from collections import defaultdict

from odoo.addons.construction_connector.domain.errors import (
    INVALID_VALUE,
    UNKNOWN_REFERENCE,
    ApiError,
    PermanentError,
)
from odoo.addons.construction_connector.domain.errors import (
    unknown_reference as _unknown,
)
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..domain import budget_import as rules

# ----------------------------------------------------------------------
# Shared with the import wizard
# ----------------------------------------------------------------------


def budget_lookups(jobs, codes):
    """``{job id: Lookups}``: the phases of each job, the cost codes ``codes``
    of its company and every unit of measure; one search per kind."""
    env = jobs.env
    if not jobs:
        return {}
    phases = defaultdict(dict)
    archived_phases = defaultdict(set)
    for phase in (
        env["construction.phase"]
        .with_context(active_test=False)
        .search([("project_id", "in", jobs.ids)])
    ):
        if phase.active:
            phases[phase.project_id.id][phase.code] = phase.id
        else:
            archived_phases[phase.project_id.id].add(phase.code)
    cost_codes = defaultdict(dict)
    archived_codes = defaultdict(set)
    codes = sorted({code for code in codes if code})
    if codes:
        for code in (
            env["construction.cost.code"]
            .with_context(active_test=False)
            .search([("code", "in", codes), ("company_id", "in", jobs.company_id.ids)])
        ):
            if code.active:
                cost_codes[code.company_id.id][code.code] = code.id
            else:
                archived_codes[code.company_id.id].add(code.code)
    # Units by their name in the user's language, and in English.
    all_uoms = env["uom.uom"].search([])
    uoms = {uom.name: uom.id for uom in all_uoms.with_context(lang="en_US")}
    uoms.update({uom.name: uom.id for uom in all_uoms})
    return {
        job.id: rules.Lookups(
            phases=phases[job.id],
            cost_codes=cost_codes[job.company_id.id],
            uoms=uoms,
            archived_phases=frozenset(archived_phases[job.id]),
            archived_cost_codes=frozenset(archived_codes[job.company_id.id]),
        )
        for job in jobs
    }


def lock_budgets(budgets):
    """Lock the budgets' rows until the end of the transaction and read their
    state again: an approval committed meanwhile is then seen (or, if it
    happened after this transaction started, the lock fails with a
    serialization error and the whole operation is retried). ``NOWAIT``: a
    budget being changed elsewhere is a lock error, retried rather than
    waited for."""
    if not budgets:
        return budgets
    budgets.flush_model()
    budgets.env.cr.execute(
        SQL(
            "SELECT id FROM construction_budget WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
            tuple(budgets.ids),
        )
    )
    budgets.invalidate_recordset(["state"])
    return budgets


def _values(row, fields):
    values = {
        "description": ("name", row.description or False),
        "quantity": ("quantity", float(row.quantity or 0)),
        "uom": ("uom_id", row.uom_id or False),
        "amount": ("original_amount", float(row.amount or 0)),
    }
    return dict(values[name] for name in fields if name in values)


def write_rows(budget, rows, replace=False):
    """Create or update the lines of ``budget`` from checked rows (none in
    error); with ``replace``, delete the lines the rows do not name.

    An update writes only the fields the row gives, and only if they changed.
    Return the :class:`~..domain.budget_import.Plan` applied.
    """
    budget.ensure_one()
    Line = budget.env["construction.budget.line"]
    lines = budget.line_ids
    existing = {(line.phase_id.id or None, line.cost_code_id.id): line for line in lines}
    plan = rules.plan_changes(
        rows, {key: line.id for key, line in existing.items()}, replace=replace
    )
    if plan.delete:
        Line.browse(plan.delete).unlink()
    by_id = {line.id: line for line in lines}
    # One write per distinct set of changes (re-importing an estimate changes
    # few lines, and often the same way).
    writes = defaultdict(lambda: Line)
    for line_id, row in plan.update:
        line = by_id[line_id]
        changed = {
            name: value
            for name, value in _values(row, row.sent).items()
            if (line[name].id if name == "uom_id" else line[name]) != value
        }
        if changed:
            writes[tuple(sorted(changed.items()))] |= line
    for changed, changed_lines in writes.items():
        changed_lines.write(dict(changed))
    if plan.create:
        Line.create(
            [
                {
                    "budget_id": budget.id,
                    "phase_id": row.phase_id or False,
                    "cost_code_id": row.cost_code_id,
                    **_values(row, rules.COLUMNS),
                }
                for row in plan.create
            ]
        )
    return plan


# ----------------------------------------------------------------------
# master.budget
# ----------------------------------------------------------------------


def _issue_error(issue, index, job):
    """The API error of a line's problem, named by its path in the payload."""
    value = issue.params.get("value")
    messages = {
        rules.UNKNOWN_COST_CODE: f"Unknown cost code {value!r} in {job.company_id.name}.",
        rules.ARCHIVED_COST_CODE: f"Cost code {value!r} is archived: budget an active one.",
        rules.UNKNOWN_PHASE: f"Job {job.job_code} has no phase {value!r}.",
        rules.ARCHIVED_PHASE: f"Phase {value!r} of job {job.job_code} is archived.",
        rules.UNKNOWN_UOM: f"Unknown unit {value!r}.",
    }
    field = f"payload.lines.{index}.{issue.field}"
    message = messages.get(issue.problem) or f"{field}: {issue.problem} {value or ''}".strip()
    code = UNKNOWN_REFERENCE if issue.problem in rules.UNKNOWN_PROBLEMS else INVALID_VALUE
    return ApiError(code, field, message)


def _approved_error(job):
    return PermanentError(
        ApiError(
            INVALID_VALUE,
            "payload.project",
            f"The budget of job {job.job_code} is approved: change it through owner change "
            "orders or budget transfers.",
        )
    )


def _raw_rows(payload):
    """The message's lines as rows numbered by their index in ``lines``."""
    return [
        rules.RawRow(index, {name: getattr(line, name) for name in line.model_fields_set})
        for index, line in enumerate(payload.lines)
    ]


def apply_budgets(inbound, batch):
    """``master.budget``: the lines of the job's draft budget become the message's.

    Lines the message does not name are deleted, the others updated or
    created, in one savepoint per message. Unknown references and an approved
    budget are permanent errors; nothing of such a message is applied.
    """
    env = inbound.env
    Budget = env["construction.budget"].sudo()
    results = {}
    jobs = (
        env["project.project"]
        .sudo()
        .search(
            [
                ("job_code", "in", list({p.project for _m, p in batch})),
                ("company_id", "in", list({m.company_id.id for m, _p in batch})),
            ]
        )
    )
    job_of = {(job.company_id.id, job.job_code): job for job in jobs}
    lookups = budget_lookups(jobs, [line.cost_code for _m, p in batch for line in p.lines])
    budget_of = {budget.job_id.id: budget for budget in Budget.search([("job_id", "in", jobs.ids)])}
    valid = []
    for message, payload in batch:
        company = message.company_id
        job = job_of.get((company.id, payload.project))
        if not job:
            results[message.id] = _unknown(
                "payload.project", f"Unknown project {payload.project!r} in {company.name}."
            )
            continue
        if budget_of.get(job.id) and budget_of[job.id].state == "approved":
            results[message.id] = _approved_error(job)
            continue
        rows = rules.validate_rows(_raw_rows(payload), lookups[job.id])
        errors = [_issue_error(issue, row.row, job) for row in rows for issue in row.issues]
        if errors:
            results[message.id] = PermanentError(errors)
            continue
        valid.append((message, job, rows))
    if not valid:
        return results
    budgets = lock_budgets(Budget._for_jobs(jobs.browse([job.id for _m, job, _r in valid])))
    budget_of = {budget.job_id.id: budget for budget in budgets}
    budgets.line_ids.mapped("cost_code_id")  # read every line of the batch at once
    for message, job, rows in valid:
        budget = budget_of[job.id]
        if budget.state == "approved":
            results[message.id] = _approved_error(job)
            continue
        try:
            with env.cr.savepoint():
                write_rows(budget, rows, replace=True)
        except (UserError, ValidationError) as exc:
            # A business rule of the lines refused the message: nothing of it stays.
            results[message.id] = PermanentError(ApiError(INVALID_VALUE, "payload", str(exc)))
            continue
        results[message.id] = ("construction.budget", budget.ids)
    return results
