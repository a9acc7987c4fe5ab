import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import _super_send

from ..domain.signing import verify_construction, verify_standard, whsec_for
from .common import ConnectorCase
from .webhook_server import WebhookReceiver


@tagged("post_install", "-at_install")
class TestOutbound(ConnectorCase):
    @classmethod
    def _request_handler(cls, session, prepared, /, **kw):
        # Odoo's tests raise every timeout below 10 s to 10 s; these calls go
        # to the local receiver only, and the timeout is what is under test.
        if prepared.url.startswith("http://127.0.0.1:"):
            return _super_send(session, prepared, **kw)
        return super()._request_handler(session, prepared, **kw)

    def _endpoint(self, url, **vals):
        return self.env["construction.sync.endpoint"].create(
            {"name": "Controls", "url": url, "timeout": 1, "max_attempts": 3, **vals}
        )

    def _deliver(self):
        count = self.Outbound._deliver_due()
        self.env.invalidate_all()
        return count

    def _due_now(self, events):
        events.write({"next_attempt_at": fields.Datetime.now() - timedelta(seconds=1)})

    def test_emit_writes_outbox_in_transaction(self):
        endpoint = self._endpoint("http://127.0.0.1:9/x", event_types="purchase_order.confirmed")
        other = self._endpoint("http://127.0.0.1:9/y", event_types="vendor_bill.posted")
        events = self.Outbound.with_context(construction_correlation_id="corr-1").emit(
            "purchase_order.confirmed",
            self.job | self.job_2,
            {self.job.id: {"n": 1}, self.job_2.id: {"n": 2}},
        )
        self.assertEqual(events.endpoint_id, endpoint)
        self.assertNotIn(other, events.endpoint_id)
        self.assertEqual(events.mapped("payload"), [{"n": 1}, {"n": 2}])
        self.assertEqual(set(events.mapped("correlation_id")), {"corr-1"})
        self.assertEqual(set(events.mapped("state")), {"pending"})
        body = events[0]._body_dict()
        self.assertEqual(set(body), {"id", "type", "occurred_at", "company", "data"})
        self.assertEqual((body["type"], body["company"]), ("purchase_order.confirmed", "Test GC"))

    def test_delivery_signed_and_verifiable(self):
        with WebhookReceiver() as receiver:
            endpoint = self._endpoint(receiver.url)
            secret = endpoint.sudo().secret
            event = self.Outbound.emit("vendor_bill.posted", self.job, {"bill": "BILL/1"})
            self.assertEqual(self._deliver(), 1)
        self.assertEqual((event.state, event.attempts, event.last_status_code), ("done", 1, 200))
        [request] = receiver.requests
        headers, body = request["headers"], request["body"]
        self.assertEqual(json.loads(body)["data"], {"bill": "BILL/1"})
        self.assertEqual(headers["X-Construction-Event"], "vendor_bill.posted")
        self.assertEqual(headers["X-Construction-Delivery"], event.event_uuid)
        self.assertEqual(headers["webhook-id"], event.event_uuid)
        timestamp = headers["X-Construction-Timestamp"]
        self.assertEqual(headers["webhook-timestamp"], timestamp)
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        self.assertEqual(headers["X-Construction-Signature"], "sha256=" + expected.hexdigest())
        # Standard Webhooks: v1,base64(HMAC(secret bytes, id.timestamp.body)).
        key = base64.b64decode(whsec_for(secret).removeprefix("whsec_"))
        signed = f"{event.event_uuid}.{timestamp}.".encode() + body
        digest = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        self.assertEqual(headers["webhook-signature"], "v1," + digest)
        now = time.time()
        self.assertTrue(
            verify_construction(secret, timestamp, headers["X-Construction-Signature"], body, now)
        )
        self.assertTrue(
            verify_standard(
                secret, event.event_uuid, timestamp, headers["webhook-signature"], body, now
            )
        )

    def test_rotation_signs_with_both_secrets(self):
        with WebhookReceiver() as receiver:
            endpoint = self._endpoint(receiver.url)
            old = endpoint.sudo().secret
            action = endpoint.action_rotate_secret()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            new = wizard.secret
            self.assertNotEqual(old, new)
            self.assertEqual(endpoint.sudo().secret, new)
            self.Outbound.emit("vendor_bill.posted", self.job, {})
            self._deliver()
        headers = receiver.requests[0]["headers"]
        self.assertEqual(len(headers["webhook-signature"].split(" ")), 2)
        body = receiver.requests[0]["body"]
        ts = headers["X-Construction-Timestamp"]
        self.assertTrue(
            verify_construction(new, ts, headers["X-Construction-Signature"], body, time.time())
        )
        for secret in (old, new):
            self.assertTrue(
                verify_standard(
                    secret,
                    headers["webhook-id"],
                    ts,
                    headers["webhook-signature"],
                    body,
                    time.time(),
                )
            )

    def test_standard_webhooks_library_verifies_deliveries(self):
        """The published Standard Webhooks library (not the suite's code) accepts
        real deliveries, before and during a secret rotation."""

        def whsec(secret):  # the library's form of a secret: whsec_ + base64 of its bytes
            return "whsec_" + base64.b64encode(secret.encode()).decode()

        with WebhookReceiver() as receiver:
            endpoint = self._endpoint(receiver.url)
            old = endpoint.sudo().secret
            self.Outbound.emit("vendor_bill.posted", self.job, {"bill": "BILL/1"})
            self._deliver()
            action = endpoint.action_rotate_secret()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            new = wizard.secret
            self.assertEqual(wizard.whsec, whsec(new), "the wizard shows the library's form")
            self.Outbound.emit("vendor_bill.posted", self.job, {"bill": "BILL/2"})
            self._deliver()
        before, during = receiver.requests
        self.assertEqual(len(before["headers"]["webhook-signature"].split(" ")), 1)
        event = Webhook(whsec(old)).verify(before["body"], before["headers"])
        self.assertEqual((event["type"], event["data"]), ("vendor_bill.posted", {"bill": "BILL/1"}))
        self.assertEqual(event["id"], before["headers"]["webhook-id"])
        with self.assertRaises(WebhookVerificationError):
            Webhook(whsec(new)).verify(before["body"], before["headers"])
        # During the rotation: one signature per valid secret, each verifies.
        self.assertEqual(len(during["headers"]["webhook-signature"].split(" ")), 2)
        for secret in (old, new):
            event = Webhook(whsec(secret)).verify(during["body"], during["headers"])
            self.assertEqual(event["data"], {"bill": "BILL/2"})
        with self.assertRaises(WebhookVerificationError):
            Webhook(whsec("not-the-secret")).verify(during["body"], during["headers"])
        with self.assertRaises(WebhookVerificationError):
            Webhook(whsec(new)).verify(
                during["body"].replace(b"BILL/2", b"BILL/3"), during["headers"]
            )

    def test_retry_on_500_and_timeout_then_dead_and_replay(self):
        with WebhookReceiver(sleep=1.5) as receiver:
            receiver.plan = [500, "sleep", 503]
            self._endpoint(receiver.url)
            event = self.Outbound.emit("vendor_bill.posted", self.job, {})
            self._deliver()
            self.assertEqual(
                (event.state, event.attempts, event.last_status_code), ("failed", 1, 500)
            )
            self.assertEqual(event.last_response, "server error")
            self.assertGreater(event.next_attempt_at, fields.Datetime.now())
            self.assertEqual(self._deliver(), 0, "not due yet")
            self._due_now(event)
            self._deliver()
            self.assertEqual((event.state, event.attempts), ("failed", 2))
            self.assertEqual(event.last_error, "No answer within 1 s")
            self._due_now(event)
            self._deliver()
            self.assertEqual(
                (event.state, event.attempts, event.last_status_code), ("dead", 3, 503)
            )
            event.action_replay()
            self._deliver()
            self.assertEqual(event.state, "done")
        ids = {r["headers"]["X-Construction-Delivery"] for r in receiver.requests}
        self.assertEqual(ids, {event.event_uuid}, "the same event id on every retry")
        self.assertEqual(len(receiver.requests), 4)

    def test_events_of_one_record_in_order(self):
        with WebhookReceiver() as receiver:
            receiver.plan = [500]
            self._endpoint(receiver.url)
            first = self.Outbound.emit("purchase_order.confirmed", self.job, {"step": 1})
            second = self.Outbound.emit("purchase_order.changed", self.job, {"step": 2})
            other = self.Outbound.emit("purchase_order.confirmed", self.job_2, {"step": 1})
            self._deliver()
            self.assertEqual(
                (first.state, second.state, other.state), ("failed", "pending", "done")
            )
            self._deliver()
            self.assertEqual(second.state, "pending", "waits for the first event of its record")
            self._due_now(first)
            self._deliver()
            self.assertEqual(first.state, "done")
            self._deliver()
            self.assertEqual(second.state, "done")
        data = [json.loads(r["body"])["data"] for r in receiver.requests]
        self.assertEqual([d["step"] for d in data], [1, 1, 1, 2])

    def test_bad_endpoint_config_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._endpoint("ftp://example.com")
        self.assertIn("must start with http:// or https://", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self._endpoint("https://example.com", event_types="vendor_bill.posted, nope.nope")
        self.assertIn("unknown event types nope.nope", str(caught.exception))
