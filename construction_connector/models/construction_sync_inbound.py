import json
import logging
import random
import time
from datetime import timedelta

import psycopg2.errorcodes
from psycopg2 import OperationalError
from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..domain import envelope as envelope_rules
from ..domain import fingerprint, ordering, reconcile, retry, schemas
from ..domain.cursor import encode_cursor
from ..domain.errors import (
    IDEMPOTENCY_CONFLICT,
    UNKNOWN_SOURCE,
    ApiError,
    PermanentError,
    TransientError,
)

_logger = logging.getLogger(__name__)

STATES = [
    ("pending", "Pending"),
    ("processing", "Processing"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("dead", "Dead"),
    ("rejected", "Rejected"),
]
# PostgreSQL errors worth a retry: another transaction was in the way.
TRANSIENT_PGCODES = {
    psycopg2.errorcodes.SERIALIZATION_FAILURE,
    psycopg2.errorcodes.DEADLOCK_DETECTED,
    psycopg2.errorcodes.LOCK_NOT_AVAILABLE,
}
TRANSIENT_PG_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    pg_errors.LockNotAvailable,
)
RETRY_POLICY = retry.RetryPolicy()


class SubmitForbidden(AccessError):
    """The user may not submit (403), as opposed to a rejected message (422)."""


def _utcnow():
    return fields.Datetime.now()


class ConstructionSyncInbound(models.Model):
    """One message received from an external system, from receipt to result.

    Submitting validates and stores (idempotently, on the database's unique
    index); the processor cron applies due messages in batches through the
    handler of their type, in the same transaction that marks them done.
    """

    _name = "construction.sync.inbound"
    _description = "Construction Inbound Message"
    _order = "id desc"
    _rec_name = "idempotency_key"

    source_id = fields.Many2one("construction.sync.source", index=True, ondelete="restrict")
    source_code = fields.Char(required=True, help="The source as sent, kept for rejected messages.")
    message_type = fields.Char(string="Type", required=True, index=True)
    idempotency_key = fields.Char(required=True, index=True)
    payload = fields.Json()
    payload_fingerprint = fields.Char()
    occurred_at = fields.Datetime(index=True)
    correlation_id = fields.Char(index="btree_not_null")
    company_id = fields.Many2one("res.company", index=True)
    business_key = fields.Char(index="btree_not_null")
    state = fields.Selection(STATES, required=True, default="pending", index=True)
    attempts = fields.Integer(default=0, required=True)
    next_attempt_at = fields.Datetime(index=True)
    errors = fields.Json(help="[{code, field, message}]")
    errors_text = fields.Text(compute="_compute_errors_text")
    note = fields.Char(help="How the message ended when it was not applied (stale, cancelled).")
    result_model = fields.Char()
    result_ids = fields.Json()
    result_count = fields.Integer(compute="_compute_result_count")
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    processed_at = fields.Datetime(index=True, help="When it was done, dead or last failed.")
    duration_ms = fields.Integer(string="Processing (ms)")
    submitted_by = fields.Many2one("res.users", default=lambda self: self.env.uid)
    txid = fields.Integer(
        help="Transaction that stored the message; paging waits for older transactions.",
        readonly=True,
    )
    payload_pretty = fields.Text(compute="_compute_payload_pretty")

    def init(self):
        # The idempotency guarantee lives in the database, so that two
        # connections sending the same key at once store one message.
        # Rejected messages are kept for audit and do not hold their key.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS construction_sync_inbound_source_key_uniq"
                " ON construction_sync_inbound (source_id, idempotency_key)"
                " WHERE state <> 'rejected'"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS construction_sync_inbound_due_idx"
                " ON construction_sync_inbound (occurred_at, id)"
                " WHERE state IN ('pending', 'failed')"
            )
        )
        self.env.cr.execute(
            SQL("ALTER TABLE construction_sync_inbound ALTER COLUMN txid TYPE bigint")
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("errors")
    def _compute_errors_text(self):
        for message in self:
            message.errors_text = "\n".join(
                f"[{err.get('code')}] {err.get('field') or '-'}: {err.get('message')}"
                for err in (message.errors or [])
            )

    @api.depends("result_ids")
    def _compute_result_count(self):
        for message in self:
            message.result_count = len(message.result_ids or [])

    @api.depends("payload")
    def _compute_payload_pretty(self):
        for message in self:
            message.payload_pretty = json.dumps(message.payload, indent=2, ensure_ascii=False)

    @api.depends("source_code", "message_type", "idempotency_key")
    def _compute_display_name(self):
        for message in self:
            message.display_name = (
                f"{message.source_code}/{message.message_type}/{message.idempotency_key}"
            )

    # ------------------------------------------------------------------
    # Message types
    # ------------------------------------------------------------------

    @api.model
    def _message_type_registry(self):
        """The message types of the installed modules.

        Each functional module extends this with ``super()`` and registers its
        types (pydantic model, handler key, business key) on the result; the
        handler key ``foo_bar`` is applied by ``_handle_foo_bar``.
        """
        return schemas.default_registry()

    @api.model
    def _openapi_extra(self):
        """More ``paths`` and ``components`` for openapi.json (extended by other modules)."""
        return {"paths": {}, "components": {}}

    def _handle_master_vendor(self, batch):
        from ..handlers import master

        return master.apply_vendors(self, batch)

    def _handle_master_project(self, batch):
        from ..handlers import master

        return master.apply_projects(self, batch)

    def _handle_master_cost_code(self, batch):
        from ..handlers import master

        return master.apply_cost_codes(self, batch)

    # ------------------------------------------------------------------
    # Submitting
    # ------------------------------------------------------------------

    @api.model
    def _check_can_submit(self):
        if not self.env.user.has_group("construction_connector.group_integration"):
            raise SubmitForbidden(
                _("User %s is not in the Construction / Integration group.", self.env.user.login)
            )

    @api.model
    def submit_messages(self, messages):
        """JSON-RPC entry point of the contract: the same results as the HTTP API."""
        if not isinstance(messages, list):
            raise ValidationError(_("messages must be a list of messages."))
        batch = envelope_rules.validate_batch({"messages": messages})
        if isinstance(batch, envelope_rules.RequestError):
            raise ValidationError(batch.error.message)
        return self._submit(batch)

    @api.model
    def _submit(self, raw_messages):
        """Validate and store a batch; return the contract's ``results`` list.

        Raises :class:`SubmitForbidden` (403) when the user may not submit or a
        message names a company the user or its source may not write into;
        then nothing is stored.
        """
        self._check_can_submit()
        registry = self._message_type_registry()
        envelopes = [envelope_rules.validate_envelope(raw) for raw in raw_messages]
        source_codes = {env.source for env, _errs in envelopes if env}
        sources = {
            source.code: source
            for source in self.env["construction.sync.source"]
            .sudo()
            .search([("code", "in", list(source_codes)), ("active", "=", True)])
        }
        rows = []
        for index, (env, errors) in enumerate(envelopes):
            raw = raw_messages[index] if isinstance(raw_messages[index], dict) else {}
            row = self._prepare_row(raw, env, list(errors), sources, registry)
            rows.append(row)
        return self._store_rows(rows)

    def _resolve_company(self, env, source):
        """The company of a message, or raise SubmitForbidden."""
        user = self.env.user
        if env.company is None:
            company = user.company_id
        elif isinstance(env.company, int):
            company = user.company_ids.filtered(lambda c: c.id == env.company)
        else:
            company = user.company_ids.filtered(lambda c: c.name == env.company)
        if not company:
            raise SubmitForbidden(
                _(
                    "Message %(key)s: company %(company)s is not one user %(user)s may use.",
                    key=env.idempotency_key,
                    company=env.company,
                    user=user.login,
                )
            )
        if source.company_ids and company not in source.company_ids:
            raise SubmitForbidden(
                _(
                    "Message %(key)s: source %(system)s may not write into company %(company)s.",
                    key=env.idempotency_key,
                    system=source.code,
                    company=company.name,
                )
            )
        return company[:1]

    def _prepare_row(self, raw, env, errors, sources, registry):
        """The values to store for one message, accepted or rejected."""
        # A rejected message is kept as sent, less what the database cannot
        # store (NUL, unpaired surrogates, infinity, absurd nesting).
        raw_key = raw.get("idempotency_key")
        row = {
            "source_id": None,
            "source_code": envelope_rules.as_text(raw.get("source")) or "?",
            "message_type": envelope_rules.as_text(raw.get("type")) or "?",
            "idempotency_key": envelope_rules.as_text(raw_key) or "?",
            "raw_key": envelope_rules.storable_text(raw_key) if isinstance(raw_key, str) else None,
            "payload": envelope_rules.storable(raw.get("payload"))
            if isinstance(raw.get("payload"), dict)
            else None,
            "occurred_at": None,
            "correlation_id": None,
            "company_id": self.env.company.id,
            "business_key": None,
            "errors": errors,
        }
        if env is None:
            return row
        source = sources.get(env.source)
        row.update(
            source_code=env.source,
            message_type=env.type,
            idempotency_key=env.idempotency_key,
            payload=env.payload,
            occurred_at=env.occurred_at,
            correlation_id=env.correlation_id,
        )
        if not source:
            row["errors"].append(
                ApiError(UNKNOWN_SOURCE, "source", f"Unknown source {env.source!r}.")
            )
            return row
        row["source_id"] = source.id
        row["company_id"] = self._resolve_company(env, source).id
        instance, payload_errors = registry.validate_payload(env.type, env.payload)
        row["errors"].extend(payload_errors)
        if instance is not None:
            key = registry.business_key(env.type, instance)
            row["business_key"] = "|".join(key) if key else None
        return row

    def _store_rows(self, rows):
        """Insert a batch in two statements and build the results in order.

        Accepted messages go through ``INSERT ... ON CONFLICT DO NOTHING`` on
        the partial unique index: a key already stored (earlier, in the same
        batch, or by a concurrent request) inserts nothing and is then read
        back as a duplicate, or as a conflict when its payload differs.
        """
        now = _utcnow()
        uid = self.env.uid
        for row in rows:
            # Errors may quote the input: keep them storable (and answerable).
            row["errors"] = [
                envelope_rules.storable_error(err if isinstance(err, ApiError) else ApiError(**err))
                for err in row["errors"]
            ]
            row["fingerprint"] = (
                fingerprint.payload_fingerprint(row["payload"])
                if row["payload"] is not None
                else None
            )
        self.env.flush_all()
        accepted = [row for row in rows if not row["errors"]]
        inserted = {}
        if accepted:
            inserted = self._insert_rows(accepted, "pending", now, uid, on_conflict=True)
        # Keys that inserted nothing: duplicates or conflicts.
        clashing = [
            row for row in accepted if (row["source_id"], row["idempotency_key"]) not in inserted
        ]
        existing = {}
        if clashing:
            self.env.cr.execute(
                SQL(
                    "SELECT source_id, idempotency_key, id, state, payload_fingerprint"
                    " FROM construction_sync_inbound"
                    " WHERE state <> 'rejected' AND (source_id, idempotency_key) IN %s",
                    tuple((row["source_id"], row["idempotency_key"]) for row in clashing),
                )
            )
            existing = {(r[0], r[1]): r[2:] for r in self.env.cr.fetchall()}
        first_fingerprint = {}
        for row in accepted:
            key = (row["source_id"], row["idempotency_key"])
            if key in inserted and key not in first_fingerprint:
                first_fingerprint[key] = row["fingerprint"]
                row["result"] = {"id": inserted[key], "state": "pending", "duplicate": False}
                continue
            if key in inserted:  # the same key twice in this batch
                msg_id, state, stored_fingerprint = inserted[key], "pending", first_fingerprint[key]
            else:
                msg_id, state, stored_fingerprint = existing[key]
            if stored_fingerprint == row["fingerprint"]:
                row["result"] = {"id": msg_id, "state": state, "duplicate": True}
            else:
                row["errors"] = [
                    ApiError(
                        IDEMPOTENCY_CONFLICT,
                        "idempotency_key",
                        f"Key {row['idempotency_key']!r} was already used by message {msg_id} "
                        "with a different payload.",
                    )
                ]
        rejected = [row for row in rows if row["errors"]]
        if rejected:
            ids = self._insert_rows(rejected, "rejected", now, uid, on_conflict=False)
            for row, msg_id in zip(rejected, ids, strict=True):
                row["result"] = {"id": msg_id, "state": "rejected", "duplicate": False}
        self.invalidate_model()
        return [
            {
                "idempotency_key": row["raw_key"],
                "id": row["result"]["id"],
                "state": row["result"]["state"],
                "duplicate": row["result"]["duplicate"],
                "errors": [
                    err.as_dict() if isinstance(err, ApiError) else err for err in row["errors"]
                ],
            }
            for row in rows
        ]

    def _insert_rows(self, rows, state, now, uid, on_conflict):
        values = [
            SQL(
                "(%s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s, 0, %s::jsonb, %s, %s,"
                " %s, %s, %s, %s, pg_current_xact_id()::text::bigint)",
                row["source_id"],
                row["source_code"],
                row["message_type"],
                row["idempotency_key"],
                json.dumps(row["payload"]) if row["payload"] is not None else None,
                row["fingerprint"],
                row["occurred_at"],
                row["correlation_id"],
                row["company_id"],
                row["business_key"],
                state,
                json.dumps([e.as_dict() if isinstance(e, ApiError) else e for e in row["errors"]])
                if row["errors"]
                else None,
                now,
                uid,
                uid,
                now,
                uid,
                now,
            )
            for row in rows
        ]
        query = SQL(
            "INSERT INTO construction_sync_inbound (source_id, source_code, message_type,"
            " idempotency_key, payload, payload_fingerprint, occurred_at, correlation_id,"
            " company_id, business_key, state, attempts, errors, received_at, submitted_by,"
            " create_uid, create_date, write_uid, write_date, txid) VALUES %s %s"
            " RETURNING id, source_id, idempotency_key",
            SQL(", ").join(values),
            SQL("ON CONFLICT (source_id, idempotency_key) WHERE state <> 'rejected' DO NOTHING")
            if on_conflict
            else SQL(""),
        )
        self.env.cr.execute(query)
        returned = self.env.cr.fetchall()
        if on_conflict:
            return {(source_id, key): msg_id for msg_id, source_id, key in returned}
        return [msg_id for msg_id, _source, _key in returned]

    # ------------------------------------------------------------------
    # Reading (HTTP API)
    # ------------------------------------------------------------------

    def _api_dict(self):
        self.ensure_one()
        return {
            "id": self.id,
            "source": self.source_code,
            "type": self.message_type,
            "idempotency_key": self.idempotency_key,
            "state": self.state,
            "attempts": self.attempts,
            "errors": self.errors or [],
            "result": {"model": self.result_model or None, "ids": self.result_ids or []},
            "correlation_id": self.correlation_id or None,
            "occurred_at": self.occurred_at.isoformat() + "Z" if self.occurred_at else None,
            "received_at": self.received_at.isoformat() + "Z" if self.received_at else None,
            "note": self.note or None,
        }

    @api.model
    def _api_list(self, source=None, state=None, message_type=None, since=None, limit=100, after=0):
        """A page of messages, oldest first, that neither skips nor repeats.

        Ids are taken in insertion order but transactions commit in any order:
        a page stops before the first message stored by a transaction that
        may still have siblings with smaller ids in flight (its txid is not
        older than the oldest running transaction).
        """
        domain = []
        if source:
            domain.append(("source_code", "=", source))
        if state:
            domain.append(("state", "=", state))
        if message_type:
            domain.append(("message_type", "=", message_type))
        if since:
            domain.append(("received_at", ">=", since))
        domain.append(("id", ">", after))
        self.env.cr.execute(
            SQL(
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
                " pg_current_xact_id_if_assigned()::text::bigint"
            )
        )
        horizon, own_txid = self.env.cr.fetchone()
        messages = self.search(domain, order="id asc", limit=limit + 1)
        page = self.browse()
        for message in messages[:limit]:
            if message.txid and message.txid >= horizon and message.txid != own_txid:
                break
            page |= message
        more = len(page) < len(messages)
        last_id = page[-1:].id or after
        next_cursor = encode_cursor(last_id) if (more or len(page) == limit) else None
        if not page and messages:
            next_cursor = encode_cursor(after) if after else None
        return {"messages": [message._api_dict() for message in page], "next_cursor": next_cursor}

    @api.model
    def _api_health(self):
        """Queue figures over the companies of the user (all their sources)."""
        companies = [("company_id", "in", self.env.user.company_ids.ids)]
        inbound = self.sudo()
        counts = dict.fromkeys(state for state, _label in STATES) | dict(
            inbound._read_group(companies, ["state"], ["__count"])
        )
        counts = {state: count or 0 for state, count in counts.items()}
        oldest = inbound.search(
            [*companies, ("state", "=", "pending")], order="received_at asc", limit=1
        )
        now = _utcnow()
        recent = dict(
            inbound._read_group(
                [
                    *companies,
                    ("state", "in", ("done", "dead")),
                    ("processed_at", ">=", now - timedelta(hours=1)),
                ],
                ["state"],
                ["__count"],
            )
        )
        outbound = dict.fromkeys(("pending", "done", "failed", "dead"), 0) | dict(
            self.env["construction.sync.outbound"]
            .sudo()
            ._read_group(companies, ["state"], ["__count"])
        )
        return {
            "queue": counts,
            "oldest_pending_age_seconds": int((now - oldest.received_at).total_seconds())
            if oldest
            else 0,
            "done_last_hour": recent.get("done", 0),
            "dead_last_hour": recent.get("dead", 0),
            "outbound": outbound,
        }

    @api.model
    def _api_reconcile(self, source_code, keys):
        """The reconcile answer for ``keys`` of ``source_code``, or a RequestError
        (``422`` naming ``source``) when no such source is registered.

        One query for the whole key list, however long (at most 10,000 keys):
        the live (non-rejected) message of a key wins over rejected attempts.
        Only messages of the user's companies are seen, as everywhere else.
        """
        source = (
            self.env["construction.sync.source"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "=", source_code)], limit=1)
        )
        if not source:
            return envelope_rules.RequestError(
                422, ApiError(UNKNOWN_SOURCE, "source", f"Unknown source {source_code!r}.")
            )
        self.flush_model(["source_code", "idempotency_key", "company_id", "state", "errors"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (idempotency_key) idempotency_key, id, state, errors"
                " FROM construction_sync_inbound"
                " WHERE source_code = %s AND idempotency_key = ANY(%s) AND company_id = ANY(%s)"
                " ORDER BY idempotency_key, (state = 'rejected'), id DESC",
                source_code,
                list(dict.fromkeys(keys)),
                self.env.user.company_ids.ids,
            )
        )
        found = {
            key: (msg_id, state, errors or [])
            for key, msg_id, state, errors in self.env.cr.fetchall()
        }
        return reconcile.summarize(keys, found, source=source_code)

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------

    @api.model
    def _claim_due(self, limit):
        """Lock up to ``limit`` due messages that no other worker holds.

        Sources share the batch: each source with due messages gets an equal
        part of it (oldest first within the source), and what a source does
        not use goes to the others. A field app that comes back after a week
        offline with thousands of messages then does not hold back the other
        sources behind it.
        """
        self.env.flush_all()
        now = _utcnow()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT source_id FROM construction_sync_inbound"
                " WHERE state IN ('pending', 'failed')"
                " AND (next_attempt_at IS NULL OR next_attempt_at <= %s)",
                now,
            )
        )
        sources = [row[0] for row in self.env.cr.fetchall()]
        if len(sources) <= 1:
            return self.browse(self._claim_from(None, now, limit, exclude=()))
        claimed = []
        share = max(limit // len(sources), 1)
        for source_id in sources:
            claimed += self._claim_from(source_id, now, share, exclude=())
        if len(claimed) < limit:
            # Sources with fewer due messages than their share leave room.
            claimed += self._claim_from(None, now, limit - len(claimed), exclude=claimed)
        return self.browse(claimed)

    def _claim_from(self, source_id, now, limit, exclude):
        """Lock up to ``limit`` due messages (of ``source_id``, or of any source).

        Another worker may have applied some of them since this transaction's
        snapshot: PostgreSQL then refuses the lock (serialization failure,
        repeatable read). That worker has done them, so this claim takes
        nothing now and the next one starts from a fresh snapshot.
        """
        try:
            with self.env.cr.savepoint(flush=False):
                return self._lock_due(source_id, now, limit, exclude)
        except TRANSIENT_PG_ERRORS:
            return []

    def _lock_due(self, source_id, now, limit, exclude):
        condition = SQL("source_id = %s", source_id) if source_id else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                "SELECT id FROM construction_sync_inbound"
                " WHERE state IN ('pending', 'failed') AND %s"
                " AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
                " AND id <> ALL(%s)"
                " ORDER BY occurred_at NULLS FIRST, id LIMIT %s"
                " FOR UPDATE SKIP LOCKED",
                condition,
                now,
                list(exclude),
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _process_due(self, limit=500):
        """Claim and apply one batch of due messages; return how many."""
        messages = self._claim_due(limit)
        if messages:
            messages._process()
        return len(messages)

    @api.model
    def _cron_process(self, batch_size=500, time_limit=240):
        """Cron: apply due messages batch after batch for up to ``time_limit`` s.

        Each batch commits once, with the effects of its messages and their
        done state together: this is the one place that commits, so that a
        crash loses at most the batch in hand, which is then still pending.
        """
        started = time.monotonic()
        done = 0
        while time.monotonic() - started < time_limit:
            count = self._process_due(batch_size)
            if not count:
                break
            done += count
            remaining = self.search_count([("state", "in", ("pending", "failed"))])
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    def _process(self):
        """Apply claimed messages, type by type, in business-key order."""
        registry = self._message_type_registry()
        self.write({"state": "processing"})
        parsed = {}
        for message in self:
            instance, errors = registry.validate_payload(message.message_type, message.payload)
            if errors:
                message._mark_dead(PermanentError(errors))
            else:
                parsed[message.id] = instance
        live = self.filtered(lambda m: m.id in parsed)
        live = live._skip_stale()
        ordered = ordering.order_batch(
            list(live),
            key=lambda m: m.business_key or f"#{m.id}",
            occurred=lambda m: m.occurred_at,
            ident=lambda m: m.id,
        )
        # Rounds: the n-th message of each business key goes in round n, so two
        # messages for the same record are applied one after the other.
        rounds = []
        seen = {}
        for message in ordered:
            index = seen.get(message.business_key or f"#{message.id}", 0)
            seen[message.business_key or f"#{message.id}"] = index + 1
            if index == len(rounds):
                rounds.append([])
            rounds[index].append(message)
        for round_messages in rounds:
            by_type = {}
            for message in round_messages:
                by_type.setdefault(message.message_type, []).append(message)
            for message_type, messages in by_type.items():
                self._apply_batch(
                    registry.get(message_type).handler,
                    [(message, parsed[message.id]) for message in messages],
                )

    def _skip_stale(self):
        """Mark done, without applying, messages older than one already applied."""
        keyed = self.filtered(lambda m: m.business_key and m.occurred_at)
        if not keyed:
            return self
        rows = self._read_group(
            [
                ("business_key", "in", keyed.mapped("business_key")),
                ("state", "=", "done"),
                ("note", "=", False),
                ("occurred_at", "!=", False),
            ],
            ["business_key"],
            ["occurred_at:max"],
        )
        newest = dict(rows)
        stale = keyed.filtered(
            lambda m: ordering.is_stale(m.occurred_at, newest.get(m.business_key))
        )
        for message in stale:
            message.write(
                {
                    "state": "done",
                    "attempts": message.attempts + 1,
                    "processed_at": _utcnow(),
                    "note": _(
                        "Stale: a message for %(key)s that occurred at %(newer)s was already "
                        "applied; this one (%(this)s) was not applied.",
                        key=message.business_key,
                        newer=newest[message.business_key],
                        this=message.occurred_at,
                    ),
                }
            )
        return self - stale

    def _apply_batch(self, handler_key, batch):
        """Apply ``batch`` in a savepoint; on failure, bisect to isolate the culprit.

        Events emitted by the handler carry the correlation id of the message
        whose record they are about (or the batch's, when it shares one).
        """
        started = time.monotonic()
        correlations = {message.correlation_id for message, _payload in batch}
        correlation = correlations.pop() if len(correlations) == 1 else None
        emitted = []
        handler = getattr(
            self.with_context(
                construction_correlation_id=correlation, construction_outbox_collector=emitted
            ),
            "_handle_" + handler_key,
        )
        try:
            with self.env.cr.savepoint():
                results = handler(batch) or {}
                self._mark_results(batch, results, started)
                self._correlate_events(batch, results, emitted)
        except Exception as exc:
            if len(batch) > 1:
                middle = len(batch) // 2
                self._apply_batch(handler_key, batch[:middle])
                self._apply_batch(handler_key, batch[middle:])
                return
            batch[0][0]._mark_failure(exc)

    def _correlate_events(self, batch, results, emitted):
        """Give each event emitted while applying a batch the correlation id of
        the message that produced its record."""
        if not emitted:
            return
        by_record = {}
        for message, _payload in batch:
            result = results.get(message.id)
            if result and not isinstance(result, PermanentError) and message.correlation_id:
                model, ids = result
                for record_id in ids:
                    by_record[(model, record_id)] = message.correlation_id
        for event in self.env["construction.sync.outbound"].sudo().browse(emitted):
            correlation = by_record.get((event.res_model, event.res_id))
            if correlation and event.correlation_id != correlation:
                event.correlation_id = correlation

    def _mark_results(self, batch, results, started):
        """Mark the messages of an applied batch done (or dead), in one UPDATE.

        One statement for the whole batch instead of one ORM write per
        message: at hundreds of field messages a second, the bookkeeping
        would otherwise cost as much as a cheap handler.
        """
        duration = int((time.monotonic() - started) * 1000 / max(len(batch), 1))
        now = _utcnow()
        rows = []
        for message, _payload in batch:
            result = results.get(message.id)
            if isinstance(result, PermanentError):
                message._mark_dead(result)
                continue
            model, ids = result if result else (False, [])
            rows.append(
                SQL(
                    "(%s, %s, %s::jsonb, %s)",
                    message.id,
                    model or None,
                    json.dumps(list(ids)),
                    getattr(result, "note", None) or None,
                )
            )
        if rows:
            fnames = [
                "state",
                "note",
                "attempts",
                "processed_at",
                "duration_ms",
                "errors",
                "result_model",
                "result_ids",
                "next_attempt_at",
                "write_uid",
                "write_date",
            ]
            self.flush_model(fnames)
            self.env.cr.execute(
                SQL(
                    """UPDATE construction_sync_inbound AS m
                          SET state = 'done', note = v.note, attempts = m.attempts + 1,
                              processed_at = %(now)s, duration_ms = %(duration)s, errors = NULL,
                              result_model = v.model, result_ids = v.ids,
                              next_attempt_at = NULL, write_uid = %(uid)s, write_date = %(now)s
                         FROM (VALUES %(rows)s) AS v (id, model, ids, note)
                        WHERE m.id = v.id""",
                    now=now,
                    duration=duration,
                    uid=self.env.uid,
                    rows=SQL(", ").join(rows),
                )
            )
            self.invalidate_model(fnames)
        self._log_on_results(batch, results)

    def _log_on_results(self, batch, results):
        """Say in the chatter of each produced record which message made it."""
        bodies_by_model = {}
        for message, _payload in batch:
            result = results.get(message.id)
            if not result or isinstance(result, PermanentError):
                continue
            model, ids = result
            if not model or not hasattr(self.env[model], "_message_log_batch"):
                continue
            body = _(
                "Applied from %(system)s message %(type)s, key %(key)s%(corr)s.",
                system=message.source_code,
                type=message.message_type,
                key=message.idempotency_key,
                corr=_(", correlation %s", message.correlation_id)
                if message.correlation_id
                else "",
            )
            for record_id in ids:
                bodies_by_model.setdefault(model, {})[record_id] = body
        for model, bodies in bodies_by_model.items():
            records = self.env[model].sudo().browse(list(bodies))
            records._message_log_batch(bodies=bodies)

    def _mark_dead(self, error):
        self.ensure_one()
        self.write(
            {
                "state": "dead",
                "attempts": self.attempts + 1,
                "processed_at": _utcnow(),
                "next_attempt_at": False,
                "errors": [err.as_dict() for err in error.errors],
            }
        )

    def _mark_failure(self, exc):
        """Record an exception: permanent ones are dead at once, others retry."""
        self.ensure_one()
        transient = self._is_transient(exc)
        if isinstance(exc, PermanentError):
            return self._mark_dead(exc)
        attempts = self.attempts + 1
        max_attempts = self.source_id.max_attempts or 8
        code = "transient_error" if transient else "handler_error"
        if isinstance(exc, (UserError, ValidationError)):
            # Business rules refused the message: retrying cannot help.
            return self._mark_dead(PermanentError(ApiError("invalid_value", None, str(exc))))
        error = {"code": code, "field": None, "message": f"{type(exc).__name__}: {exc}"[:2000]}
        if not transient:
            _logger.exception("Inbound message %s failed", self.id)
        if retry.decide(attempts, max_attempts, transient=True) == retry.DEAD:
            values = {"state": "dead", "next_attempt_at": False}
        else:
            values = {
                "state": "failed",
                "next_attempt_at": RETRY_POLICY.next_attempt_at(
                    _utcnow(), attempts, random.random()
                ),
            }
        self.write({**values, "attempts": attempts, "processed_at": _utcnow(), "errors": [error]})
        return None

    @api.model
    def _is_transient(self, exc):
        if isinstance(exc, (TransientError, *TRANSIENT_PG_ERRORS)):
            return True
        if isinstance(exc, OperationalError):
            return getattr(exc, "pgcode", None) in TRANSIENT_PGCODES
        return False

    # ------------------------------------------------------------------
    # Operators
    # ------------------------------------------------------------------

    def action_replay(self):
        """Put dead or failed messages back in the queue, with a fresh attempt count."""
        replayable = self.filtered(lambda m: m.state in ("dead", "failed"))
        if replayable != self:
            raise UserError(_("Only dead or failed messages can be replayed."))
        replayable.write(
            {"state": "pending", "attempts": 0, "next_attempt_at": False, "note": False}
        )
        return True

    def action_cancel(self):
        """Withdraw pending, failed or dead messages: they will never be applied."""
        cancellable = self.filtered(lambda m: m.state in ("pending", "failed", "dead"))
        if cancellable != self:
            raise UserError(_("Only pending, failed or dead messages can be cancelled."))
        cancellable.write(
            {
                "state": "dead",
                "next_attempt_at": False,
                "note": _("Cancelled by %s", self.env.user.name),
            }
        )
        return True

    def action_view_results(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Records"),
            "res_model": self.result_model,
            "view_mode": "list,form",
            "domain": [("id", "in", self.result_ids or [])],
        }

    @api.model
    def _cron_purge(self, days=None, chunk=1000):
        """Delete done messages older than the retention age, in small chunks."""
        days = days or int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("construction_connector.purge_days", 90)
        )
        limit_date = _utcnow() - timedelta(days=days)
        total = 0
        while True:
            old = self.search(
                [("state", "=", "done"), ("processed_at", "<", limit_date)], limit=chunk
            )
            if not old:
                return total
            old.unlink()
            total += len(old)
            if len(old) < chunk:
                return total
