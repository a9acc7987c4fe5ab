import json
import logging
import random
import time
import uuid
from datetime import timedelta

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..domain import retry
from ..domain.signing import delivery_headers

_logger = logging.getLogger(__name__)

STATES = [("pending", "Pending"), ("done", "Delivered"), ("failed", "Failed"), ("dead", "Dead")]
RETRY_POLICY = retry.RetryPolicy()
# Extra time a worker holds a claimed event beyond the endpoint timeout.
LEASE_MARGIN = timedelta(seconds=60)
RESPONSE_EXCERPT = 1000


class ConstructionSyncOutbound(models.Model):
    """One event for one endpoint: an outbox row written with the business change."""

    _name = "construction.sync.outbound"
    _description = "Construction Outbound Event"
    _order = "id desc"
    _rec_name = "event_type"

    event_uuid = fields.Char(string="Event ID", required=True, index=True, readonly=True)
    event_type = fields.Char(string="Type", required=True, index=True)
    res_model = fields.Char(string="Model", index=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", index=True)
    company_id = fields.Many2one("res.company", index=True)
    payload = fields.Json(help="The `data` of the delivered body.")
    occurred_at = fields.Datetime(required=True, default=fields.Datetime.now)
    correlation_id = fields.Char(index="btree_not_null")
    endpoint_id = fields.Many2one(
        "construction.sync.endpoint", required=True, index=True, ondelete="cascade"
    )
    state = fields.Selection(STATES, default="pending", required=True, index=True)
    attempts = fields.Integer(default=0, required=True)
    next_attempt_at = fields.Datetime(index=True)
    last_status_code = fields.Integer()
    last_response = fields.Text(string="Last Response (excerpt)")
    last_error = fields.Char()
    delivered_at = fields.Datetime()
    body_pretty = fields.Text(compute="_compute_body_pretty")

    @api.depends("payload", "event_uuid", "event_type", "occurred_at", "company_id")
    def _compute_body_pretty(self):
        for event in self:
            event.body_pretty = json.dumps(event._body_dict(), indent=2, ensure_ascii=False)

    # ------------------------------------------------------------------
    # Emitting (the outbox)
    # ------------------------------------------------------------------

    @api.model
    def emit(self, event_type, records, data=None):
        """Write ``event_type`` for each of ``records`` to every subscribed endpoint.

        Runs in the caller's transaction: the events exist if and only if the
        business change commits. ``data`` is a dict of the event data, the
        same for every record, or a dict ``{record id: data}``; field events
        put the field app's ``external_id`` in it.
        """
        endpoints = self.env["construction.sync.endpoint"].sudo().search([("active", "=", True)])
        if not endpoints or not records:
            return self.browse()
        correlation = self.env.context.get("construction_correlation_id")
        now = fields.Datetime.now()
        vals_list = []
        for record in records:
            company = record.company_id if "company_id" in record._fields else self.env.company
            company = company or self.env.company
            record_data = data.get(record.id, {}) if _keyed_by_id(data, records) else data or {}
            event_uuid = str(uuid.uuid4())
            for endpoint in endpoints:
                if not endpoint._wants(event_type, company):
                    continue
                vals_list.append(
                    {
                        "event_uuid": event_uuid,
                        "event_type": event_type,
                        "res_model": record._name,
                        "res_id": record.id,
                        "company_id": company.id,
                        "payload": record_data,
                        "occurred_at": now,
                        "correlation_id": correlation,
                        "endpoint_id": endpoint.id,
                    }
                )
        events = self.sudo().create(vals_list)
        collector = self.env.context.get("construction_outbox_collector")
        if collector is not None:
            collector.extend(events.ids)
        return events

    def _body_dict(self):
        self.ensure_one()
        return {
            "id": self.event_uuid,
            "type": self.event_type,
            "occurred_at": self.occurred_at and self.occurred_at.isoformat() + "Z",
            "company": self.company_id.name,
            "data": self.payload or {},
        }

    # ------------------------------------------------------------------
    # Delivering
    # ------------------------------------------------------------------

    @api.model
    def _claim_deliverable(self, limit):
        """Lock due events, only the oldest undelivered one per endpoint and record,
        so that events of one record arrive in order; lease them for the call."""
        self.env.flush_all()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                "SELECT o.id FROM construction_sync_outbound o"
                " WHERE o.state IN ('pending', 'failed')"
                " AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= %s)"
                " AND NOT EXISTS (SELECT 1 FROM construction_sync_outbound p"
                "   WHERE p.endpoint_id = o.endpoint_id AND p.res_model = o.res_model"
                "   AND p.res_id = o.res_id AND p.state IN ('pending', 'failed') AND p.id < o.id)"
                " ORDER BY o.id LIMIT %s FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        for endpoint, group in events.grouped("endpoint_id").items():
            group.write(
                {"next_attempt_at": now + timedelta(seconds=endpoint.timeout) + LEASE_MARGIN}
            )
        return events

    def _prepare_deliveries(self):
        """Everything an HTTP call needs, read while the transaction is open."""
        deliveries = []
        for event in self:
            endpoint = event.endpoint_id
            deliveries.append(
                {
                    "id": event.id,
                    "event_uuid": event.event_uuid,
                    "event_type": event.event_type,
                    "url": endpoint.url,
                    "timeout": endpoint.timeout,
                    "secrets": endpoint._valid_secrets(),
                    "body": json.dumps(event._body_dict(), separators=(",", ":")).encode(),
                }
            )
        return deliveries

    @staticmethod
    def _send(deliveries, session=None):
        """POST each delivery (no database access here); return the outcomes."""
        session = session or requests.Session()
        outcomes = []
        for delivery in deliveries:
            headers = delivery_headers(
                delivery["event_type"],
                delivery["event_uuid"],
                int(time.time()),
                delivery["body"],
                delivery["secrets"],
            )
            outcome = {"id": delivery["id"], "status": None, "response": None, "error": None}
            try:
                response = session.post(
                    delivery["url"],
                    data=delivery["body"],
                    headers=headers,
                    timeout=delivery["timeout"],
                    allow_redirects=False,
                )
                outcome["status"] = response.status_code
                outcome["response"] = response.text[:RESPONSE_EXCERPT]
            except requests.Timeout:
                outcome["error"] = _("No answer within %s s", delivery["timeout"])
            except requests.RequestException as exc:
                outcome["error"] = str(exc)[:500]
            outcomes.append(outcome)
        return outcomes

    @api.model
    def _record_outcomes(self, outcomes):
        now = fields.Datetime.now()
        events = self.browse([outcome["id"] for outcome in outcomes]).exists()
        by_id = {event.id: event for event in events}
        for outcome in outcomes:
            event = by_id.get(outcome["id"])
            if not event:
                continue
            attempts = event.attempts + 1
            values = {
                "attempts": attempts,
                "last_status_code": outcome["status"] or 0,
                "last_response": outcome["response"],
                "last_error": outcome["error"],
            }
            if outcome["status"] and 200 <= outcome["status"] < 300:
                values.update(state="done", delivered_at=now, next_attempt_at=False)
            elif retry.decide(attempts, event.endpoint_id.max_attempts, True) == retry.DEAD:
                values.update(state="dead", next_attempt_at=False)
            else:
                values.update(
                    state="failed",
                    next_attempt_at=RETRY_POLICY.next_attempt_at(
                        now,
                        attempts,
                        random.random(),
                    ),
                )
            event.write(values)

    @api.model
    def _deliver_due(self, limit=100, session=None):
        """Claim, send and record one batch within the current transaction."""
        events = self._claim_deliverable(limit)
        if events:
            self._record_outcomes(self._send(events._prepare_deliveries(), session))
        return len(events)

    @api.model
    def _cron_deliver(self, batch_size=100, time_limit=240):
        """Cron: deliver due events without holding a transaction during HTTP calls.

        The claim (with its lease) commits before the calls, and the outcomes
        commit after them; a worker that dies in between leaves the events
        leased, and another worker retries them when the lease ends (at
        least once delivery). These are the only commits of the module.
        """
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < time_limit:
            events = self._claim_deliverable(batch_size)
            if not events:
                break
            deliveries = events._prepare_deliveries()
            self.env.cr.commit()  # pylint: disable=invalid-commit
            outcomes = self._send(deliveries)
            self._record_outcomes(outcomes)
            sent += len(outcomes)
            self.env["ir.cron"]._notify_progress(
                done=sent, remaining=self.search_count([("state", "in", ("pending", "failed"))])
            )
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent

    # ------------------------------------------------------------------
    # Operators
    # ------------------------------------------------------------------

    def action_replay(self):
        if self.filtered(lambda e: e.state not in ("dead", "failed")):
            raise UserError(_("Only dead or failed events can be replayed."))
        self.write({"state": "pending", "attempts": 0, "next_attempt_at": False})
        return True

    def action_cancel(self):
        if self.filtered(lambda e: e.state == "done"):
            raise UserError(_("Delivered events cannot be cancelled."))
        self.write({"state": "dead", "next_attempt_at": False, "last_error": _("Cancelled")})
        return True


def _keyed_by_id(data, records):
    return isinstance(data, dict) and bool(data) and all(isinstance(k, int) for k in data)
