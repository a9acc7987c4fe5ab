"""Apply field.daily_log and field.daily_log_photo batches.

A daily log is found by (source, external_id) and follows the offline rules
(``domain/offline.decide``): created, updated by a newer change (the version
it overwrites is kept first), left alone by an older one (stale), withdrawn
by ``"cancelled": true``, and once approved changed only through an
amendment the approver accepts. Only the keys a payload sends are written;
``manpower`` and ``incidents``, when sent, replace the log's lists.

Photos (inside the log's payload, or in ``field.daily_log_photo`` messages
that follow once the phone has signal) become attachments of the log. A
photo is attached once: photos of a log payload are known by their content,
photo messages by their own ``external_id``. Photos that arrive after the
log was approved are still attached (they change no figure of the report),
with a note in the log's chatter; a photo message whose log has not arrived
yet is retried later (``TransientError``).

A batch costs one search per kind of reference (jobs, users, subcontractors,
logs, photos, the logs holding the same job, date and author) and one create
for the new logs.
"""

import base64
import binascii
import hashlib
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.construction_connector.domain.errors import TransientError
from odoo.tools import SQL

from ..domain.daily_log import changes, temperature_problem
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

LOG = "construction.daily.log"
WEATHER_FIELDS = {
    "conditions": "weather_conditions",
    "temperature_low": "temperature_low",
    "temperature_high": "temperature_high",
    "precipitation": "precipitation",
    "wind": "wind",
    "delay_hours": "weather_delay_hours",
}
TEXT_FIELDS = ("work_performed", "deliveries", "visitors", "delays", "notes")
# A log may be dated one day ahead of the server (the site's time zone).
FUTURE_DAYS = 1


# ----------------------------------------------------------------------
# References of a batch
# ----------------------------------------------------------------------


def _users(env, refs):
    """{login or email, lower case: users} for the authors a batch names; one
    search. A login names one user; an email may name several (then the
    author is ambiguous)."""
    refs = {ref for ref in refs if ref}
    if not refs:
        return {}
    names = list(refs | {ref.lower() for ref in refs})
    users = (
        env["res.users"]
        .sudo()
        .with_context(active_test=False)
        .search(["|", ("login", "in", names), ("email", "in", names)], order="id")
    )
    by_login, by_email = {}, {}
    for user in users:
        by_login[user.login.lower()] = user
        if user.email:
            by_email[user.email.lower()] = by_email.get(user.email.lower(), user.browse()) | user
    return {**by_email, **by_login}


def _subcontractors(env, batch):
    """{(company id, name lower case): partner} for the subcontractors that
    manpower lines name, when exactly one partner has that name; one search."""
    names = {
        line.subcontractor
        for _m, payload in batch
        if not payload.cancelled
        for line in payload.manpower or ()
        if line.subcontractor
    }
    if not names:
        return {}
    companies = list({message.company_id.id for message, _p in batch})
    partners = (
        env["res.partner"]
        .sudo()
        .search([("name", "in", list(names)), ("company_id", "in", [*companies, False])])
    )
    found, ambiguous = {}, set()
    for partner in partners:
        for company in [partner.company_id.id] if partner.company_id else companies:
            key = (company, partner.name.lower())
            if key in found and found[key] != partner:
                ambiguous.add(key)
            found[key] = partner
    return {key: partner for key, partner in found.items() if key not in ambiguous}


def _decode(content, field):
    """The bytes of a base64 photo, or a PermanentError naming the field. A
    ``data:`` URI prefix and line breaks are accepted."""
    text = content
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    text = "".join(text.split())
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return invalid(field, f"{field} is not valid base64: send the photo's bytes in base64.")
    if not raw:
        return invalid(field, f"{field} is empty.")
    return raw


def _photo_key(raw):
    """The key of a photo sent inside a log payload: its content."""
    return "sha1:" + hashlib.sha1(raw).hexdigest()


# ----------------------------------------------------------------------
# field.daily_log
# ----------------------------------------------------------------------


def _check_job(refs, message, payload):
    company = message.company_id
    job = refs.jobs.get((company.id, payload.project))
    if not job or not job.active:
        return unknown("payload.project", f"Unknown project {payload.project!r} in {company.name}.")
    if job.job_status == "closed":
        return invalid(
            "payload.project", f"Job {job.job_code} is closed and takes no new daily logs."
        )
    return job


def _check_author(env, users, message, payload, job):
    """The author the payload names (False when it names none), or an error."""
    if not payload.author:
        return env["res.users"]
    user = users.get(payload.author.lower())
    if not user:
        return unknown(
            "payload.author",
            f"Unknown author {payload.author!r}: give the login or the email of a user.",
        )
    if len(user) > 1:
        return invalid(
            "payload.author",
            f"Several users have the email {payload.author!r}: give the author's login.",
        )
    if not user.active:
        return invalid("payload.author", f"User {user.name} ({payload.author}) is archived.")
    if message.company_id not in user.company_ids:
        return invalid(
            "payload.author",
            f"User {user.name} ({payload.author}) may not work in {message.company_id.name}.",
        )
    if env[LOG]._author_problem(job, user):
        return invalid(
            "payload.author",
            f"{user.name} ({payload.author}) is not a member of the team of job "
            f"{job.job_code}: add them to the job team, or send the log without author.",
        )
    return user


def _weather_values(payload, record):
    """ORM values of the weather keys sent, or a PermanentError when the low
    temperature would end above the high one."""
    if "weather" not in payload.model_fields_set:
        return {}
    weather = payload.weather
    if weather is None:
        return {name: False for name in WEATHER_FIELDS.values()}
    values = {}
    for key in weather.model_fields_set:
        value = getattr(weather, key)
        if key in ("temperature_low", "temperature_high", "delay_hours"):
            value = float(value) if value is not None else False
        else:
            value = value or False
        values[WEATHER_FIELDS[key]] = value
    if "temperature_low" in values or "temperature_high" in values:
        low = values.get("temperature_low", record.temperature_low if record else False)
        high = values.get("temperature_high", record.temperature_high if record else False)
        problem = temperature_problem(low, high)
        if problem:
            field = "temperature_low" if "temperature_low" in values else "temperature_high"
            return invalid(f"payload.weather.{field}", f"payload.weather.{field}: {problem}.")
    return values


def _manpower_values(message, payload, partners):
    company = message.company_id.id
    lines = []
    for index, line in enumerate(payload.manpower or ()):
        if line.hours > 24:
            field = f"payload.manpower.{index}.hours"
            return invalid(field, f"{field}: {line.hours} hours each in one day; at most 24.")
        partner = (
            partners.get((company, line.subcontractor.lower())) if line.subcontractor else None
        )
        lines.append(
            {
                "sequence": index + 1,
                "trade": line.trade,
                "headcount": line.headcount,
                "hours": float(line.hours),
                "partner_id": partner.id if partner else False,
                "subcontractor_name": False if partner else (line.subcontractor or False),
            }
        )
    return lines


def _incident_values(payload):
    return [
        {
            "sequence": index + 1,
            "incident_type": incident.type or False,
            "description": incident.description,
            "people_involved": incident.people_involved or False,
            "action_taken": incident.action_taken or False,
        }
        for index, incident in enumerate(payload.incidents or ())
    ]


def _values(message, payload, record, job, author, partners):
    """ORM values of what the payload sends (all of it for a new log), or a
    PermanentError. ``manpower`` and ``incidents`` replace the stored lists."""
    sent = payload.model_fields_set
    values = {"job_id": job.id, "date": payload.date}
    if record is None or "author" in sent:
        values["author_id"] = author.id or False
    weather = _weather_values(payload, record)
    if isinstance(weather, PermanentError):
        return weather
    values.update(weather)
    for name in TEXT_FIELDS:
        if record is None or name in sent:
            values[name] = getattr(payload, name) or False
    clear = [Command.clear()] if record is not None else []
    if record is None or "manpower" in sent:
        lines = _manpower_values(message, payload, partners)
        if isinstance(lines, PermanentError):
            return lines
        values["manpower_ids"] = clear + [Command.create(line) for line in lines]
    if record is None or "incidents" in sent:
        values["incident_ids"] = clear + [
            Command.create(incident) for incident in _incident_values(payload)
        ]
    return values


def _photos(payload):
    """[(key, photo payload, bytes)] of the photos inside a log payload, or a
    PermanentError naming the first bad one."""
    photos, seen = [], set()
    for index, photo in enumerate(payload.photos or ()):
        raw = _decode(photo.content, f"payload.photos.{index}.content")
        if not isinstance(raw, bytes):
            return raw
        key = _photo_key(raw)
        if key not in seen:
            seen.add(key)
            photos.append((key, photo, raw))
    return photos


def _readable(env, values, record=None):
    """{key: text or number} of ORM values (or of ``record`` when values is
    None) as the approver reads them, to summarise an amendment."""
    if values is None:
        result = {
            "job_id": record.job_id.display_name,
            "date": fields.Date.to_string(record.date),
            "author_id": record.author_id.name or False,
            "manpower_ids": record.manpower_ids.mapped("display_name"),
            "incident_ids": record.incident_ids.mapped("display_name"),
        }
        for name in (*WEATHER_FIELDS.values(), *TEXT_FIELDS):
            result[name] = record[name]
        return result
    result = {}
    for name, value in values.items():
        if name == "job_id":
            result[name] = env["project.project"].browse(value).display_name
        elif name == "author_id":
            result[name] = env["res.users"].browse(value).name if value else False
        elif name == "date":
            result[name] = fields.Date.to_string(value)
        elif name == "manpower_ids":
            Line = env["construction.daily.log.manpower"]
            result[name] = [
                Line.new(command[2]).display_name for command in value if command[0] == 0
            ]
        elif name == "incident_ids":
            Incident = env["construction.daily.log.incident"]
            result[name] = [
                Incident.new(command[2]).display_name for command in value if command[0] == 0
            ]
        else:
            result[name] = value
    return result


def _labels(env):
    Log = env[LOG]
    return {
        name: Log._fields[name]._description_string(env)
        for name in (
            "job_id",
            "date",
            "author_id",
            *WEATHER_FIELDS.values(),
            "manpower_ids",
            *TEXT_FIELDS,
            "incident_ids",
        )
    }


def _json_values(values):
    """ORM values as the amendment stores them (JSON: dates as text)."""
    result = dict(values)
    if "date" in result:
        result["date"] = fields.Date.to_string(result["date"])
    for name in ("manpower_ids", "incident_ids"):
        if name in result:
            result[name] = [list(command) for command in result[name]]
    return result


def apply_daily_logs(inbound, batch):
    env = inbound.env
    Log = env[LOG].sudo()
    refs = References(env, batch)
    live = [(m, p) for m, p in batch if not p.cancelled]
    users = _users(env, [p.author for _m, p in live])
    partners = _subcontractors(env, batch)
    today = fields.Date.context_today(Log)
    results, touched = {}, []

    # 1. Decide and check every message; nothing is written yet.
    checked = []  # (message, payload, record, action, job, author, values, photos)
    for message, payload, record, action in plan(Log, batch):
        if action == Action.STALE:
            results[message.id] = stale(record, message)
            continue
        if action == Action.IGNORE_CANCELLED:
            results[message.id] = ignored_cancellation(Log, message, payload, record)
            continue
        if action in (Action.WITHDRAW, Action.AMEND_WITHDRAW):
            checked.append((message, payload, record, action, record.job_id, None, None, []))
            continue
        job = _check_job(refs, message, payload)
        if isinstance(job, PermanentError):
            results[message.id] = job
            continue
        if payload.date > today + timedelta(days=FUTURE_DAYS):
            results[message.id] = invalid(
                "payload.date",
                f"payload.date {payload.date.isoformat()} is in the future: a daily log "
                "reports a day that has begun.",
            )
            continue
        author = _check_author(env, users, message, payload, job)
        if isinstance(author, PermanentError):
            results[message.id] = author
            continue
        kept = record.author_id if record and not payload.author else None
        if kept and Log._author_problem(job, kept):
            results[message.id] = invalid(
                "payload.project",
                f"{kept.name}, the author of {record.display_name}, is not a member of the "
                f"team of job {job.job_code}.",
            )
            continue
        values = _values(message, payload, record, job, author, partners)
        if isinstance(values, PermanentError):
            results[message.id] = values
            continue
        photos = _photos(payload)
        if isinstance(photos, PermanentError):
            results[message.id] = photos
            continue
        checked.append((message, payload, record, action, job, author, values, photos))

    # 2. One job, date and author: one log (logs without author excepted).
    def key_of(record, values):
        author = values.get("author_id", record.author_id.id if record else False)
        return (values["job_id"], values["date"], author) if author else None

    keyed = [(entry, key_of(entry[2], entry[6])) for entry in checked if entry[6] is not None]
    keys = {key for _entry, key in keyed if key}
    holders = {}
    if keys:
        for log in Log.search(
            [
                ("job_id", "in", list({k[0] for k in keys})),
                ("date", "in", list({k[1] for k in keys})),
                ("author_id", "in", list({k[2] for k in keys})),
            ]
        ):
            holders[(log.job_id.id, log.date, log.author_id.id)] = log
    claimed = {}
    for entry, key in keyed:
        if not key:
            continue
        message, payload, record = entry[:3]
        holder = holders.get(key)
        other = claimed.get(key)
        if (holder and holder != record) or (other and other != payload.external_id):
            results[message.id] = invalid(
                "payload.date",
                f"{env['res.users'].browse(key[2]).name} already has a daily log of job "
                f"{entry[4].job_code} on {payload.date.isoformat()}"
                + (f" ({holder.display_name})" if holder and holder != record else "")
                + ": one log per job, date and author.",
            )
            continue
        claimed[key] = payload.external_id
    checked = [entry for entry in checked if entry[0].id not in results]

    # 3. An older change than an amendment already waiting is stale too.
    waiting = {}
    held = [entry[2] for entry in checked if entry[3] in (Action.AMEND, Action.AMEND_WITHDRAW)]
    if held:
        for amendment in (
            env["construction.field.amendment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", LOG),
                    ("res_id", "in", [record.id for record in held]),
                    ("state", "=", "pending"),
                ]
            )
        ):
            waiting[amendment.res_id] = amendment

    # 4. Apply.
    to_create, photo_rows = [], []
    labels = _labels(env)
    for message, payload, record, action, _job, _author, values, photos in checked:
        if action == Action.CREATE:
            author_id = values.get("author_id") or False
            to_create.append(
                (
                    message,
                    payload,
                    photos,
                    {
                        **values,
                        **field_values(message, payload),
                        "state": "submitted",
                        "submitted_by": author_id,
                        "submitted_at": fields.Datetime.now(),
                    },
                )
            )
            continue
        if action == Action.UPDATE:
            if message.occurred_at != record.field_occurred_at:
                record._field_keep_versions(message.source_id, payload.device, message.occurred_at)
            revived = record.state == "cancelled"
            if revived:
                values["state"] = "submitted"
            record.write({**values, **field_values(message, payload)})
            if revived:
                record._schedule_approval(notify=False)
            photo_rows += [(record, key, photo, raw) for key, photo, raw in photos]
            results[message.id] = (LOG, record.ids)
            touched.append((message, payload, record.job_id))
            continue
        if action == Action.WITHDRAW:
            record._field_withdraw(message.occurred_at)
            if payload.device:
                record.with_context(construction_field_amendment=True).field_device = payload.device
            results[message.id] = (LOG, record.ids)
            touched.append((message, payload, record.job_id))
            continue
        # Approved: the change waits for the approver.
        pending = waiting.get(record.id)
        if pending and pending.occurred_at and message.occurred_at < pending.occurred_at:
            results[message.id] = Applied(
                LOG,
                record.ids,
                note=f"Stale: a later change to {record.display_name}, made at "
                f"{fields.Datetime.to_string(pending.occurred_at)}, already waits for "
                "the approver; this one was not applied.",
            )
            continue
        photo_rows += [(record, key, photo, raw) for key, photo, raw in photos]
        if action == Action.AMEND_WITHDRAW:
            summary = env._(
                "The field app withdraws daily log %(log)s, which was approved.",
                log=record.display_name,
            )
            amendment = env["construction.field.amendment"]._propose(
                record, {}, summary, kind="withdraw", message=message, device=payload.device
            )
        else:
            lines = changes(_readable(env, None, record), _readable(env, values), labels)
            if not lines:
                results[message.id] = Applied(
                    LOG,
                    record.ids,
                    note=f"No change: {record.display_name} is approved and this message "
                    "changes none of its values.",
                )
                touched.append((message, payload, record.job_id))
                continue
            summary = env._(
                "Change from the field to daily log %(log)s, which was approved:\n%(lines)s",
                log=record.display_name,
                lines="\n".join(f"- {line}" for line in lines),
            )
            amendment = env["construction.field.amendment"]._propose(
                record, _json_values(values), summary, message=message, device=payload.device
            )
        approver = amendment.approver_id.name or "a controller"
        results[message.id] = Applied(
            LOG,
            record.ids,
            note=f"Amendment {amendment.name} waits for {approver}.",
        )
        touched.append((message, payload, record.job_id))

    if to_create:
        created = Log.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
            [vals for _m, _p, _ph, vals in to_create]
        )
        created._schedule_approval(notify=False)
        for (message, payload, photos, _vals), log in zip(to_create, created, strict=True):
            results[message.id] = (LOG, log.ids)
            touched.append((message, payload, log.job_id))
            photo_rows += [(log, key, photo, raw) for key, photo, raw in photos]
    _attach(env, photo_rows)
    touch_sync_status(env, touched)
    return results


# ----------------------------------------------------------------------
# Photos
# ----------------------------------------------------------------------


def _attach(env, rows):
    """Attach photos to logs: rows are (log, key, photo payload, bytes). Photos
    a log already has (same key) are skipped. One search, one create, one
    insert into the photos of the logs."""
    if not rows:
        return env["ir.attachment"]
    Attachment = env["ir.attachment"].sudo()
    existing = {
        (attachment.res_id, attachment.field_external_id)
        for attachment in Attachment.search(
            [
                ("res_model", "=", LOG),
                ("res_id", "in", list({log.id for log, *_rest in rows})),
                ("field_external_id", "in", list({key for _log, key, *_rest in rows})),
            ]
        )
    }
    todo, seen = [], set()
    for log, key, photo, raw in rows:
        if (log.id, key) in existing or (log.id, key) in seen:
            continue
        seen.add((log.id, key))
        todo.append((log, photo, key, raw))
    if not todo:
        return Attachment
    attachments = Attachment.create(
        [
            {
                "name": photo.filename,
                "raw": raw,
                "description": photo.caption or False,
                "res_model": LOG,
                "res_id": log.id,
                "field_external_id": key,
            }
            for log, photo, key, raw in todo
        ]
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            "INSERT INTO construction_daily_log_photo_rel (log_id, attachment_id) VALUES %s"
            " ON CONFLICT DO NOTHING",
            SQL(", ").join(
                SQL("(%s, %s)", log.id, attachment.id)
                for (log, *_rest), attachment in zip(todo, attachments, strict=True)
            ),
        )
    )
    env[LOG].invalidate_model(["photo_ids", "photo_count"])
    late = {}
    for (log, photo, _key, _raw), _attachment in zip(todo, attachments, strict=True):
        if log.state == "approved":
            late.setdefault(log.id, []).append(photo.filename)
    if late:
        env[LOG].sudo().browse(list(late))._message_log_batch(
            bodies={
                log_id: env._(
                    "Photos that arrived from the field after the approval: %(files)s",
                    files=", ".join(names),
                )
                for log_id, names in late.items()
            }
        )
    return attachments


def apply_daily_log_photos(inbound, batch):
    """``field.daily_log_photo``: attach a photo to a log sent earlier by the
    same source; retried later while that log has not arrived."""
    env = inbound.env
    Log = env[LOG].sudo()
    Attachment = env["ir.attachment"].sudo()
    live = [(m, p) for m, p in batch if not p.cancelled]
    logs = Log._field_find([(m.source_id.id, p.daily_log) for m, p in live])
    known = {}
    for attachment in Attachment.search(
        [("res_model", "=", LOG), ("field_external_id", "in", [p.external_id for _m, p in batch])]
    ):
        known[attachment.field_external_id] = (
            known.get(attachment.field_external_id, Attachment) | attachment
        )
    holders = Log.browse({a.res_id for found in known.values() for a in found}).exists()

    def photo_of(message, external_id):
        """The attachment of this source's photo ``external_id``, if any."""
        for attachment in known.get(external_id, ()):
            log = holders.filtered(lambda h, a=attachment: h.id == a.res_id)
            if log and log.field_source_id == message.source_id:
                return attachment, log
        return None, None

    results, rows, touched, missing = {}, [], [], []
    for message, payload in batch:
        if payload.cancelled:
            attachment, log = photo_of(message, payload.external_id)
            if not attachment:
                results[message.id] = ignored_cancellation(Log, message, payload)
            elif log.state == "approved":
                results[message.id] = Applied(
                    LOG,
                    log.ids,
                    note=f"Kept: photo {attachment.name} belongs to {log.display_name}, "
                    "which is approved.",
                )
            else:
                log.with_context(construction_field_amendment=True).photo_ids = [
                    Command.unlink(attachment.id)
                ]
                attachment.unlink()
                results[message.id] = (LOG, log.ids)
                touched.append((message, payload, log.job_id))
            continue
        log = logs.get((message.source_id.id, payload.daily_log))
        if not log:
            missing.append(payload.daily_log)
            continue
        attachment, holder = photo_of(message, payload.external_id)
        if attachment:
            results[message.id] = Applied(
                LOG,
                holder.ids,
                note=f"Photo {payload.external_id} was already attached to "
                f"{holder.display_name}; it was not attached again.",
            )
            continue
        raw = _decode(payload.content, "payload.content")
        if not isinstance(raw, bytes):
            results[message.id] = raw
            continue
        rows.append((log, payload.external_id, payload, raw))
        results[message.id] = (LOG, log.ids)
        touched.append((message, payload, log.job_id))
    if missing:
        # Nothing is written: the connector retries the batch's messages
        # (it splits the batch to apply the others at once).
        raise TransientError(
            "Daily log "
            + ", ".join(sorted(set(missing)))
            + " has not arrived yet; the photo is attached once it has."
        )
    _attach(env, rows)
    touch_sync_status(env, touched)
    return results
