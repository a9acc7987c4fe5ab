"""Apply master.vendor_compliance: create or update a document waiting for review."""

from odoo.addons.construction_connector.domain.errors import (
    INVALID_VALUE,
    ApiError,
    PermanentError,
)
from odoo.addons.construction_connector.domain.errors import (
    unknown_reference as _unknown,
)
from odoo.addons.construction_connector.handlers import references

from ..domain import compliance


def apply_vendor_compliance(inbound, batch):
    env = inbound.env
    Doc = env["construction.compliance.document"].sudo()
    companies = {message.company_id.id for message, _p in batch}
    # One search per reference kind for the whole batch.
    vendors = references.vendors_by_source(env, [(m.source_code, p.vendor) for m, p in batch])
    requirements = {
        (req.company_id.id, req.code): req
        for req in env["construction.compliance.requirement"]
        .sudo()
        .with_context(active_test=False)
        .search(
            [
                ("company_id", "in", list(companies)),
                ("code", "in", list({p.requirement for _m, p in batch})),
            ]
        )
    }
    jobs = {
        (job.company_id.id, job.job_code): job
        for job in env["project.project"]
        .sudo()
        .search(
            [
                ("job_code", "in", list({p.project for _m, p in batch if p.project})),
                ("company_id", "in", list(companies)),
            ]
        )
    }
    by_external = {
        (doc.company_id.id, doc.external_id): doc
        for doc in Doc.search(
            [
                ("company_id", "in", list(companies)),
                ("external_id", "in", [p.external_id for _m, p in batch if p.external_id]),
            ]
        )
    }
    pending = {
        (doc.company_id.id, doc.partner_id.id, doc.requirement_id.id, doc.job_id.id): doc
        for doc in Doc.search(
            [("company_id", "in", list(companies)), ("state", "=", "pending")], order="id"
        )
    }
    results = {}
    to_create = []
    for message, payload in batch:
        company = message.company_id
        vendor = vendors[message.source_code].get(payload.vendor)
        if not vendor:
            results[message.id] = _unknown("payload.vendor", f"Unknown vendor {payload.vendor!r}.")
            continue
        vendor = vendor.commercial_partner_id
        requirement = requirements.get((company.id, payload.requirement))
        if not requirement or not requirement.active:
            results[message.id] = _unknown(
                "payload.requirement",
                f"Unknown compliance requirement {payload.requirement!r} in {company.name}.",
            )
            continue
        job = None
        if payload.project:
            job = jobs.get((company.id, payload.project))
            if not job:
                results[message.id] = _unknown(
                    "payload.project", f"Unknown project {payload.project!r}."
                )
                continue
        size = compliance.base64_size(payload.file)
        limit = company.construction_compliance_max_file_mb
        if compliance.over_limit(size, limit):
            results[message.id] = PermanentError(
                ApiError(
                    INVALID_VALUE,
                    "payload.file",
                    f"payload.file is {size / 1024 / 1024:.1f} MB, over the limit of "
                    f"{limit} MB of {company.name}.",
                )
            )
            continue
        values = {
            "company_id": company.id,
            "partner_id": vendor.id,
            "requirement_id": requirement.id,
            "job_id": job.id if job else False,
            "effective_date": payload.effective_date,
            "expiry_date": payload.expiry_date,
            "source_ref": f"{message.source_code}/{message.idempotency_key}",
            "state": "pending",
            "reviewed_by": False,
            "reviewed_date": False,
        }
        if payload.coverage_amount is not None:
            values["coverage_amount"] = float(payload.coverage_amount)
        if payload.file:
            values.update(file=payload.file, file_name=payload.filename)
        if payload.document_url:
            values["document_url"] = payload.document_url
        existing = (
            by_external.get((company.id, payload.external_id))
            if payload.external_id
            else pending.get((company.id, vendor.id, requirement.id, job.id if job else False))
        )
        if existing:
            existing.write(values)
            existing.message_post(
                body=env._(
                    "Updated by %(sender)s (%(type)s).",
                    sender=message.source_code,
                    type=message.message_type,
                )
            )
            results[message.id] = (Doc._name, existing.ids)
            continue
        if payload.external_id:
            values["external_id"] = payload.external_id
        to_create.append((message, values))
    created = Doc.create([values for _m, values in to_create])
    for (message, _values), doc in zip(to_create, created, strict=True):
        results[message.id] = (Doc._name, doc.ids)
    return results
