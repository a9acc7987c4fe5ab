"""Handlers of the master-data messages: vendors, jobs and cost codes.

Each reads every reference of its batch with one search, updates the records
that exist and creates the others with one ``create(vals_list)``.
"""

from collections import defaultdict

from odoo import Command

from ..domain.errors import UNKNOWN_REFERENCE, ApiError, PermanentError


def _group(batch, key):
    groups = defaultdict(list)
    for message, payload in batch:
        groups[key(message)].append((message, payload))
    return groups


def _countries(env, payloads):
    codes = {p.country_code for p in payloads if p.country_code}
    if not codes:
        return {}
    return {c.code: c for c in env["res.country"].search([("code", "in", list(codes))])}


def _vendor_vals(payload, countries):
    sent = payload.model_fields_set
    vals = {"name": payload.name, "is_company": True}
    for field in ("vat", "email", "phone", "street", "city"):
        if field in sent:
            vals[field] = getattr(payload, field) or False
    if "country_code" in sent:
        country = countries.get(payload.country_code)
        vals["country_id"] = country.id if country else False
    return vals


def apply_vendors(inbound, batch):
    """``master.vendor``: the vendor bound to ``external_id`` for the source, or by VAT."""
    env = inbound.env
    Partner = env["res.partner"].sudo()
    Ref = env["construction.external.ref"].sudo()
    results = {}
    for source, items in _group(batch, lambda m: m.source_code).items():
        payloads = [payload for _message, payload in items]
        countries = _countries(env, payloads)
        unknown_country = [
            (message, p)
            for message, p in items
            if p.country_code and p.country_code not in countries
        ]
        for message, p in unknown_country:
            results[message.id] = PermanentError(
                ApiError(
                    UNKNOWN_REFERENCE,
                    "payload.country_code",
                    f"Unknown country code {p.country_code!r}.",
                )
            )
        items = [item for item in items if item not in unknown_country]
        known = Ref._resolve(source, "res.partner", [p.external_id for _m, p in items])
        vats = [p.vat for _m, p in items if p.external_id not in known and p.vat]
        by_vat = {}
        if vats:
            for partner in Partner.search(
                [("vat", "in", vats), ("parent_id", "=", False)], order="id"
            ):
                by_vat.setdefault(partner.vat, partner)
        to_create, bindings = [], {}
        for message, payload in items:
            vals = _vendor_vals(payload, countries)
            partner = known.get(payload.external_id) or by_vat.get(payload.vat)
            if partner:
                if partner.supplier_rank < 1:
                    vals["supplier_rank"] = 1
                partner.write(vals)
                results[message.id] = ("res.partner", [partner.id])
                bindings[payload.external_id] = partner
            else:
                to_create.append((message, payload, {**vals, "supplier_rank": 1}))
        created = Partner.create([vals for _m, _p, vals in to_create])
        for (message, payload, _vals), partner in zip(to_create, created, strict=True):
            results[message.id] = ("res.partner", [partner.id])
            bindings[payload.external_id] = partner
        Ref._bind(source, bindings)
    return results


def _customers(env, names):
    """Customers by exact name; the missing ones are created (in one call)."""
    names = {name for name in names if name}
    if not names:
        return {}
    Partner = env["res.partner"].sudo()
    found = {}
    for partner in Partner.search(
        [("name", "in", list(names)), ("parent_id", "=", False)], order="id"
    ):
        found.setdefault(partner.name, partner)
    missing = sorted(names - set(found))
    for partner in Partner.create([{"name": name, "is_company": True} for name in missing]):
        found[partner.name] = partner
    return found


def apply_projects(inbound, batch):
    """``master.project``: the job ``code`` of the message's company, and its phases."""
    env = inbound.env
    Project = env["project.project"].sudo()
    results = {}
    for company, items in _group(batch, lambda m: m.company_id).items():
        Company = Project.with_company(company)
        customers = _customers(env, [p.customer for _m, p in items])
        jobs = {
            job.job_code: job
            for job in Company.with_context(active_test=False).search(
                [("job_code", "in", [p.code for _m, p in items]), ("company_id", "=", company.id)]
            )
        }
        to_create = []
        for message, payload in items:
            sent = payload.model_fields_set
            vals = {"name": payload.name}
            if "customer" in sent:
                vals["partner_id"] = customers[payload.customer].id if payload.customer else False
            if "contract_value" in sent:
                vals["contract_value"] = float(payload.contract_value or 0)
            if "retention_percent" in sent and payload.retention_percent is not None:
                vals["retention_percent"] = float(payload.retention_percent)
            job = jobs.get(payload.code)
            if job:
                phases = {
                    phase.code: phase for phase in job.with_context(active_test=False).phase_ids
                }
                commands = []
                for phase in payload.phases or ():
                    if phase.code in phases:
                        if phases[phase.code].name != phase.name:
                            commands.append(
                                Command.update(phases[phase.code].id, {"name": phase.name})
                            )
                    else:
                        commands.append(Command.create({"code": phase.code, "name": phase.name}))
                if commands:
                    vals["phase_ids"] = commands
                job.write(vals)
                results[message.id] = ("project.project", [job.id])
            else:
                vals.update(
                    job_code=payload.code,
                    company_id=company.id,
                    phase_ids=[
                        Command.create({"code": phase.code, "name": phase.name, "sequence": index})
                        for index, phase in enumerate(payload.phases or (), start=1)
                    ],
                )
                to_create.append((message, vals))
        created = Company.create([vals for _m, vals in to_create])
        for (message, _vals), job in zip(to_create, created, strict=True):
            results[message.id] = ("project.project", [job.id])
    return results


def apply_cost_codes(inbound, batch):
    """``master.cost_code``: codes of the message's company, parents before children."""
    env = inbound.env
    CostCode = env["construction.cost.code"].sudo().with_context(active_test=False)
    results = {}
    for company, items in _group(batch, lambda m: m.company_id).items():
        wanted = {p.code for _m, p in items} | {p.parent_code for _m, p in items if p.parent_code}
        codes = {
            code.code: code
            for code in CostCode.search(
                [("code", "in", list(wanted)), ("company_id", "=", company.id)]
            )
        }
        pending = []
        for message, payload in items:
            if (
                payload.parent_code
                and payload.parent_code not in codes
                and payload.parent_code not in {p.code for _m, p in items}
            ):
                results[message.id] = PermanentError(
                    ApiError(
                        UNKNOWN_REFERENCE,
                        "payload.parent_code",
                        f"Unknown parent cost code {payload.parent_code!r} in {company.name}.",
                    )
                )
                continue
            pending.append((message, payload))
        # Each pass creates or updates every code whose parent is known by then.
        while pending:
            ready = [(m, p) for m, p in pending if not p.parent_code or p.parent_code in codes]
            if not ready:
                for message, payload in pending:
                    results[message.id] = PermanentError(
                        ApiError(
                            UNKNOWN_REFERENCE,
                            "payload.parent_code",
                            f"Parent cost code {payload.parent_code!r} could not be created "
                            "before its child (a cycle in the batch).",
                        )
                    )
                break
            to_create = []
            for message, payload in ready:
                vals = {
                    "name": payload.name,
                    "cost_type": payload.cost_type,
                    "parent_id": codes[payload.parent_code].id if payload.parent_code else False,
                }
                existing = codes.get(payload.code)
                if existing:
                    existing.write(vals)
                    results[message.id] = ("construction.cost.code", [existing.id])
                else:
                    to_create.append(
                        (message, {**vals, "code": payload.code, "company_id": company.id})
                    )
            created = CostCode.create([vals for _m, vals in to_create])
            for (message, _vals), code in zip(to_create, created, strict=True):
                codes[code.code] = code
                results[message.id] = ("construction.cost.code", [code.id])
            pending = [item for item in pending if item not in ready]
    return results
